"""A plan's indicators and their targets: proposed in the draft's editor, in force once the
plan is published."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from performance.models import DraftIndicator, Indicator, Target
from plans import workflow
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(world):
    return factories.IndicatorFactory(code="LPI LI01", service=world.service_a, title="Licences")


def url(plan):
    return reverse("portal:plan-indicators", args=[plan.pk])


def opened(client, plan):
    response = client.get(url(plan))
    assert response.status_code == 200
    return re.search(r'name="base" value="([0-9a-f]+)"', response.content.decode()).group(1)


def form_data(base, rows, initial):
    data = {
        "base": base,
        "indicators-TOTAL_FORMS": str(len(rows)),
        "indicators-INITIAL_FORMS": str(initial),
        "indicators-MIN_NUM_FORMS": "0",
        "indicators-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        defaults = {"unit": "%", "polarity": "higher", "frequency": "monthly"}
        for key, value in {**defaults, **row}.items():
            data[f"indicators-{index}-{key}"] = value
    return data


def publish(plan, world):
    for step in (workflow.submit_plan, workflow.approve_plan):
        step(plan=plan, by=world.admin)
    workflow.publish_plan(
        plan=plan, by=world.admin, committee=world.cabinet, meeting_date=datetime.date(2012, 6, 1)
    )


def test_the_draft_proposes_and_publishing_puts_in_force(client, world, indicator):
    client.force_login(world.officer_a)
    base = opened(client, world.plan_a)
    rows = [
        {"indicator": indicator.pk, "code": "LPI LI01", "title": "Licences", "target": "95"},
        {"code": "LPI LI09", "title": "Taxi checks", "target": "80", "frequency": "quarterly"},
    ]
    assert client.post(url(world.plan_a), form_data(base, rows, 1)).status_code == 302
    # Saved in the draft only.
    assert not Target.objects.filter(indicator=indicator).exists()
    assert not Indicator.objects.filter(code="LPI LI09").exists()
    assert DraftIndicator.objects.filter(plan_version=world.plan_a.version).count() == 2
    page = client.get(url(world.plan_a)).content.decode()
    assert "LPI LI09" in page and "New in this draft" in page

    publish(world.plan_a, world)

    assert Target.objects.get(indicator=indicator, year=world.year).value == Decimal("95")
    new = Indicator.objects.get(code="LPI LI09")
    assert (new.service, new.frequency, new.first_year) == (world.service_a, "quarterly", 2012)
    assert Target.objects.get(indicator=new).value == Decimal("80")
    assert not DraftIndicator.objects.exists()


def test_taking_an_indicator_out_keeps_its_past_figures(client, world, indicator):
    factories.ActualFactory(indicator=indicator, period_end=datetime.date(2011, 8, 31))
    client.force_login(world.officer_a)
    base = opened(client, world.plan_a)
    rows = [{"indicator": indicator.pk, "code": "LPI LI01", "title": "Licences", "DELETE": "on"}]
    assert client.post(url(world.plan_a), form_data(base, rows, 1)).status_code == 302
    indicator.refresh_from_db()
    assert indicator.last_year is None  # still in force until the plan is published
    publish(world.plan_a, world)
    indicator.refresh_from_db()
    assert indicator.last_year == 2011
    assert indicator.actuals.count() == 1


def test_an_indicator_with_figures_this_year_stays(client, world, indicator):
    factories.ActualFactory(indicator=indicator, period_end=datetime.date(2012, 8, 31))
    client.force_login(world.officer_a)
    base = opened(client, world.plan_a)
    rows = [{"indicator": indicator.pk, "code": "LPI LI01", "title": "Licences", "DELETE": "on"}]
    response = client.post(url(world.plan_a), form_data(base, rows, 1))
    assert response.status_code == 200
    assert "already has figures for 2012/13" in response.content.decode()
    assert not DraftIndicator.objects.exists()


def test_a_code_of_another_services_indicator_is_refused_at_the_field(client, world, indicator):
    factories.IndicatorFactory(code="NI 181", service=world.service_b)
    client.force_login(world.officer_a)
    base = opened(client, world.plan_a)
    rows = [
        {"indicator": indicator.pk, "code": "LPI LI01", "title": "Licences"},
        {"code": "ni 181", "title": "Copy"},
    ]
    response = client.post(url(world.plan_a), form_data(base, rows, 1))
    assert response.status_code == 200
    assert "NI 181 is already an indicator of Finance" in response.content.decode()
    assert not DraftIndicator.objects.exists()


def test_the_same_code_twice_in_one_save_is_refused_at_the_field(client, world, indicator):
    client.force_login(world.officer_a)
    base = opened(client, world.plan_a)
    rows = [
        {"indicator": indicator.pk, "code": "LPI LI01", "title": "Licences"},
        {"code": "NEWCODE", "title": "One"},
        {"code": "newcode", "title": "Two"},
    ]
    response = client.post(url(world.plan_a), form_data(base, rows, 1))
    assert response.status_code == 200
    assert "Indicator 2 already has this code" in response.content.decode()
    assert not DraftIndicator.objects.exists()


@pytest.mark.parametrize("forged", ["999999", "9" * 40, "-1", "abc"])
def test_a_forged_row_is_refused(client, world, indicator, forged):
    other = factories.IndicatorFactory(code="FIN 1", service=world.service_b)
    client.force_login(world.officer_a)
    base = opened(client, world.plan_a)
    for row_id in (forged, other.pk):
        rows = [{"indicator": row_id, "code": "LPI LI01", "title": "Taken over"}]
        response = client.post(url(world.plan_a), form_data(base, rows, 1))
        assert response.status_code == 200
        assert "not one of the plan&#x27;s indicators" in response.content.decode()
    assert not DraftIndicator.objects.exists()
    other.refresh_from_db()
    assert other.title != "Taken over"


def test_thousands_of_rows_are_refused_without_being_built(client, world, indicator):
    client.force_login(world.officer_a)
    base = opened(client, world.plan_a)
    data = form_data(base, [{"code": "X", "title": "X"}], 0)
    data["indicators-TOTAL_FORMS"] = "5000"
    response = client.post(url(world.plan_a), data)
    assert response.status_code == 200
    assert "at most 200 indicators" in response.content.decode()
    assert len(response.context["form"].forms) <= 200
    assert not DraftIndicator.objects.exists()


@pytest.mark.parametrize("base", [None, ""])
def test_a_save_without_the_fingerprint_is_a_conflict(client, world, indicator, base):
    client.force_login(world.officer_a)
    rows = [{"indicator": indicator.pk, "code": "LPI LI01", "title": "Licences", "target": "9"}]
    data = form_data(base or "", rows, 1)
    if base is None:
        del data["base"]
    assert client.post(url(world.plan_a), data).status_code == 409
    assert not DraftIndicator.objects.exists()


def test_a_colleagues_change_meanwhile_is_a_conflict(client, world, indicator):
    client.force_login(world.officer_a)
    stale = opened(client, world.plan_a)
    fresh = opened(client, world.plan_a)
    mine = [{"indicator": indicator.pk, "code": "LPI LI01", "title": "Licences", "target": "70"}]
    assert client.post(url(world.plan_a), form_data(fresh, mine, 1)).status_code == 302
    theirs = [{"indicator": indicator.pk, "code": "LPI LI01", "title": "Licences", "target": "99"}]
    response = client.post(url(world.plan_a), form_data(stale, theirs, 1))
    assert response.status_code == 409
    assert DraftIndicator.objects.get().target == Decimal("70")


def test_a_published_plan_is_read_only(client, world, indicator):
    client.force_login(world.officer_a)
    assert client.get(url(world.published_a)).status_code == 302


def test_a_new_code_published_meanwhile_by_another_service_stops_the_publication(
    client, world, indicator
):
    client.force_login(world.officer_a)
    base = opened(client, world.plan_a)
    rows = [
        {"indicator": indicator.pk, "code": "LPI LI01", "title": "Licences"},
        {"code": "SHARED 1", "title": "Mine"},
    ]
    assert client.post(url(world.plan_a), form_data(base, rows, 1)).status_code == 302
    factories.IndicatorFactory(code="shared 1", service=world.service_b)
    with pytest.raises(
        workflow.TransitionRefused, match="(?i)shared 1 is already an indicator of Finance"
    ):
        publish(world.plan_a, world)
    world.plan_a.refresh_from_db()
    assert world.plan_a.status == "approved"


def test_queries_do_not_grow_with_indicators(client, world, indicator):
    client.force_login(world.officer_a)

    def count():
        with CaptureQueriesContext(connection) as captured:
            client.get(url(world.plan_a))
        return len(captured)

    few = count()
    for _ in range(5):
        factories.TargetFactory(
            indicator=factories.IndicatorFactory(service=world.service_a), year=world.year
        )
    assert count() == few


def test_taking_out_a_row_typed_over_with_bad_text_takes_out_the_indicator(
    client, world, indicator
):
    client.force_login(world.officer_a)
    base = opened(client, world.plan_a)
    rows = [{"indicator": indicator.pk, "code": "", "title": "\x00", "DELETE": "on"}]
    assert client.post(url(world.plan_a), form_data(base, rows, 1)).status_code == 302
    (row,) = DraftIndicator.objects.all()
    assert (row.taken_out, row.code, row.title) == (True, "LPI LI01", "Licences")


def test_the_approver_sees_what_the_draft_changes(client, world, indicator):
    client.force_login(world.officer_a)
    base = opened(client, world.plan_a)
    rows = [
        {"indicator": indicator.pk, "code": "LPI LI01", "title": "Licences issued", "target": "95"},
        {"code": "LPI LI09", "title": "Taxi checks", "target": "80"},
    ]
    assert client.post(url(world.plan_a), form_data(base, rows, 1)).status_code == 302
    workflow.submit_plan(plan=world.plan_a, by=world.officer_a)
    client.force_login(world.head)
    for page in ("portal:plan-workspace", "portal:plan-review", "portal:plan-detail"):
        text = client.get(reverse(page, args=[world.plan_a.pk])).content.decode()
        assert "Indicators and targets this draft changes" in text, page
        assert "Title: Licences → Licences issued" in text, page
        assert "Target 2012/13: – → 95" in text, page
        assert "Taxi checks</li>" not in text and "Taxi checks:" in text, page
