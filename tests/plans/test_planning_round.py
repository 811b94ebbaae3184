"""The planning round page shows the year's deadlines, as administrators set them."""

import datetime
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

D = datetime.date


def page_text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return " ".join(html.unescape(response.content.decode()).split())


@pytest.mark.parametrize(
    "plans_due, approvals_due, sentence",
    [
        (
            D(2013, 2, 28),
            D(2013, 3, 15),
            "Plans are due for submission by 28 February 2013 and approval by 15 March 2013.",
        ),
        (
            D(2013, 2, 28),
            None,
            "Plans are due for submission by 28 February 2013; no approval deadline is set.",
        ),
        (
            None,
            D(2013, 3, 15),
            "Plans are due for approval by 15 March 2013; no submission deadline is set.",
        ),
        (
            None,
            None,
            "No deadlines are set for 2012/13's plans.",
        ),
    ],
)
def test_the_round_shows_the_years_deadlines(client, world, plans_due, approvals_due, sentence):
    world.year.plans_due, world.year.approvals_due = plans_due, approvals_due
    world.year.save()
    client.force_login(world.admin)
    assert sentence in page_text(client, reverse("plans:planning-round") + "?year=2012")


def test_another_years_deadlines_are_not_shown(client, world):
    world.next_year.plans_due = D(2014, 2, 28)
    world.next_year.save()
    client.force_login(world.admin)
    page = page_text(client, reverse("plans:planning-round") + "?year=2012")
    assert "28 February 2014" not in page
    assert "No deadlines are set for 2012/13's plans." in page


def test_deadlines_cost_no_query(client, world):
    client.force_login(world.admin)
    url = reverse("plans:planning-round") + "?year=2012"
    with CaptureQueriesContext(connection) as without:
        client.get(url)
    world.year.plans_due, world.year.approvals_due = D(2013, 2, 28), D(2013, 3, 15)
    world.year.save()
    with CaptureQueriesContext(connection) as with_deadlines:
        assert "28 February 2013" in client.get(url).content.decode()
    assert len(with_deadlines) == len(without)
