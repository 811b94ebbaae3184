"""The users page: what it shows of each person, its filters, and a query count that does not
grow with the number of people."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisation import access
from tests import factories

pytestmark = pytest.mark.django_db


def add_people(world, n):
    officers = world.admin.groups.model.objects.get(name=access.OFFICERS)
    committee = factories.CommitteeFactory()
    for _ in range(n):
        person = factories.UserFactory()
        person.groups.add(officers)
        world.service_a.editors.add(person)
        committee.members.add(person)
        factories.HeadOfServiceFactory(user=person)


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_count_does_not_grow_with_people(client, world):
    client.force_login(world.admin)
    url = reverse("organisation:user-list")
    add_people(world, 2)
    few = queries(client, url)
    add_people(world, 20)
    assert queries(client, url) == few


def test_the_page_shows_what_each_person_may_do(client, world):
    world.cabinet.members.add(world.member)
    world.officer_b.is_active = False
    world.officer_b.save()
    client.force_login(world.admin)
    page = client.get(reverse("organisation:user-list")).content.decode()
    assert f"Head of service: {world.service_a.head_of_service.name}" in page
    assert "Edits: Licensing" in page
    assert "<td>Cabinet</td>" in page
    assert "Deactivated" in page and "Never" in page


def test_filters_by_role_and_active(client, world):
    world.officer_b.is_active = False
    world.officer_b.save()
    client.force_login(world.admin)
    url = reverse("organisation:user-list")
    page = client.get(url, {"role": access.OFFICERS, "active": "yes"}).content.decode()
    assert "officer_a" in page and "officer_b" not in page and ">member<" not in page
    page = client.get(url, {"active": "no"}).content.decode()
    assert "officer_b" in page and "officer_a" not in page


def test_fifty_a_page(client, world):
    for _ in range(50):
        factories.UserFactory()
    client.force_login(world.admin)
    url = reverse("organisation:user-list")
    first = client.get(url)
    assert len(first.context["rows"]) == 50
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(url, {"page": 2})
    assert len(second.context["rows"]) == get_user_model().objects.count() - 50
