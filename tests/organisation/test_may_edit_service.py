"""may_edit_service is services_editable_by for one service, answered with fewer queries."""

import pytest
from django.contrib.auth.models import AnonymousUser

from organisation.access import may_edit_service, role_names, services_editable_by

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


def test_no_query_of_its_own(world, django_assert_num_queries):
    """The roles and assignments are read in one query, once per request's user."""
    service = (
        type(world.service_a).objects.select_related("head_of_service").get(pk=world.service_a.pk)
    )
    for person, expected in ((world.head, True), (world.officer_a, True), (world.member, False)):
        with django_assert_num_queries(1):
            assert may_edit_service(person, service) is expected
            assert role_names(person)  # the same query's roles
        with django_assert_num_queries(0):
            assert may_edit_service(person, service) is expected


def test_a_change_of_assignment_is_read_again(world):
    from organisation.access import forget_person

    assert not may_edit_service(world.officer_a, world.service_b)
    world.service_b.editors.add(world.officer_a)
    forget_person(world.officer_a)
    assert may_edit_service(world.officer_a, world.service_b)
