"""may_edit_service is services_editable_by for one service, answered with fewer queries."""

import pytest
from django.contrib.auth.models import AnonymousUser

from organisation.access import may_edit_service, services_editable_by

pytestmark = pytest.mark.django_db


def test_the_same_answer_as_services_editable_by_for_everyone(world):
    people = [world.admin, world.head, world.officer_a, world.officer_b, world.member]
    for person in [*people, AnonymousUser()]:
        for service in (world.service_a, world.service_b):
            expected = services_editable_by(person).filter(pk=service.pk).exists()
            assert may_edit_service(person, service) is expected, (person, service)
    assert may_edit_service(world.officer_a, world.service_a)
    assert not may_edit_service(world.officer_a, world.service_b)
    assert may_edit_service(world.head, world.service_a)


def test_no_query_for_the_head_of_service(world, django_assert_num_queries):
    service = (
        type(world.service_a).objects.select_related("head_of_service").get(pk=world.service_a.pk)
    )
    world.head._role_names = frozenset({"Heads of service"})  # read once per request
    world.member._role_names = frozenset({"Members"})
    with django_assert_num_queries(0):
        assert may_edit_service(world.head, service)
    with django_assert_num_queries(1):
        assert not may_edit_service(world.member, service)
