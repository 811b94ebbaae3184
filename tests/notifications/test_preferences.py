"""The preferences page: reminders daily or as they happen, optional kinds by email, and the
committees followed."""

import re

import pytest
from django.urls import reverse

from notifications.models import Kind, Preference
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_defaults_are_a_daily_digest_and_every_kind_emailed(client):
    client.force_login(factories.UserFactory())
    form = client.get(reverse("notifications:preferences")).context["form"]
    assert form.initial["reminders"] == "daily"
    assert set(form.initial["emailed"]) == {
        Kind.PLAN_APPROVED,
        Kind.PLAN_PUBLISHED,
        Kind.REPORT_PUBLISHED,
    }
    assert not Preference.objects.exists()  # looking saves nothing


def test_preferences_save_and_reload(client):
    user = factories.UserFactory()
    cabinet = factories.CommitteeFactory(name="Cabinet")
    factories.CommitteeFactory(name="Scrutiny")
    client.force_login(user)
    response = client.post(
        reverse("notifications:preferences"),
        {
            "reminders": "immediate",
            "emailed": [Kind.REPORT_PUBLISHED],
            "committees": [cabinet.pk],
        },
        follow=True,
    )
    assert "Your notification preferences are saved." in response.content.decode()
    preference = Preference.objects.get(user=user)
    assert preference.immediate
    assert preference.muted == sorted([Kind.PLAN_APPROVED, Kind.PLAN_PUBLISHED])
    assert list(preference.committees.all()) == [cabinet]

    form = client.get(reverse("notifications:preferences")).context["form"]
    assert form.initial["reminders"] == "immediate"
    assert form.initial["emailed"] == [Kind.REPORT_PUBLISHED]
    assert form.initial["committees"] == [cabinet]
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert re.search(r'<input[^>]*value="immediate"[^>]*checked', page)
    assert not re.search(r'<input[^>]*value="daily"[^>]*checked', page)


def test_a_member_sees_the_committees_they_sit_on_marked(client):
    member = factories.UserFactory()
    cabinet = factories.CommitteeFactory(name="Cabinet")
    factories.CommitteeFactory(name="Scrutiny")
    cabinet.members.add(member)
    client.force_login(member)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "Cabinet (you sit on it)" in page
    assert "Scrutiny (you sit on it)" not in page and "Scrutiny" in page


def test_a_choice_not_offered_is_refused(client):
    user = factories.UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("notifications:preferences"),
        {"reminders": "daily", "emailed": [Kind.FIGURES_DUE]},
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Preference.objects.exists()
