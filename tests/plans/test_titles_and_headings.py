"""Each page's title says which page it is and whether something went wrong (WCAG 2.4.2,
3.3.1); headings go down one level at a time (1.3.1)."""

import re

import pytest
from django.urls import reverse

from plans import workflow

pytestmark = pytest.mark.django_db


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.DOTALL).group(1)


def heading_levels(response) -> list[int]:
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", response.content.decode())]


def test_a_plan_and_its_workspace_have_titles_of_their_own(client, world):
    client.force_login(world.officer_a)
    reading = title(client.get(reverse("portal:plan-detail", args=[world.plan_a.pk])))
    working = title(client.get(reverse("portal:plan-workspace", args=[world.plan_a.pk])))
    assert reading == f"{world.plan_a} – Riverside Borough Council"
    assert working == f"Workspace – {world.plan_a} – Riverside Borough Council"


def test_a_failed_sign_in_says_error_first_in_its_title(client, world):
    assert title(client.get(reverse("login"))).startswith("Sign in –")
    failed = client.post(reverse("login"), {"username": "member", "password": "not-this-one"})
    assert "did not match" in failed.content.decode()
    assert title(failed).startswith("Error: Sign in –")


def test_the_changes_page_goes_down_one_heading_level_at_a_time(client, world):
    revision = workflow.revise_plan(plan=world.published_a, by=world.officer_a)
    revision.introduction = "A new introduction."
    revision.save()
    client.force_login(world.officer_a)
    response = client.get(reverse("plans:plan-changes", args=[revision.pk]))
    assert "A new introduction." in response.content.decode()
    levels = heading_levels(response)
    assert levels[0] == 1 and 3 in levels, levels  # the page's heading, then a section's
    assert all(below <= above + 1 for above, below in zip(levels, levels[1:], strict=False))
