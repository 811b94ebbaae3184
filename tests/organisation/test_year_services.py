"""Years: created next in one step with their points, made current in one step (on the years
page, by the service and in the Django admin), and deadlines checked by the year's clean."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from organisation import services
from organisation.models import FinancialYear
from tests import factories

pytestmark = pytest.mark.django_db
D = datetime.date


def current_years() -> list[int]:
    return list(FinancialYear.objects.filter(is_current=True).values_list("start_year", flat=True))


def test_make_current_moves_current_in_one_step():
    factories.FinancialYearFactory(start_year=2012, is_current=True)
    later = factories.FinancialYearFactory(start_year=2013)
    services.make_current(year=later)
    assert current_years() == [2013]
    services.make_current(year=later)  # again: nothing changes
    assert current_years() == [2013]


def test_ticking_current_on_another_year_in_the_admin_is_one_save(client, world):
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    url = reverse("admin:organisation_financialyear_change", args=[world.next_year.pk])
    data = {
        "start_year": "2013",
        "is_current": "on",
        "plans_due": "",
        "approvals_due": "",
        "monitoring_points-TOTAL_FORMS": "0",
        "monitoring_points-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert current_years() == [2013]
    # Saving the current year again keeps it current; unticking leaves no current year.
    assert client.post(url, data).status_code == 302
    assert current_years() == [2013]
    assert client.post(url, {**data, "is_current": ""}).status_code == 302
    assert current_years() == []


def test_create_next_year_comes_with_its_usual_points(settings):
    settings.MONITORING_CADENCE = "half-yearly"
    factories.FinancialYearFactory(start_year=2012, is_current=True)
    year = services.create_next_year()
    assert year.start_year == 2013 and not year.is_current
    points = [(p.name, p.as_at) for p in year.monitoring_points.order_by("as_at")]
    assert [as_at for _, as_at in points] == [D(2013, 9, 30), D(2014, 3, 31)]
    assert services.create_next_year().start_year == 2014


@pytest.mark.parametrize(
    "plans_due, approvals_due, valid",
    [
        (D(2013, 2, 28), D(2013, 3, 15), True),
        (D(2013, 2, 28), D(2013, 2, 28), True),  # the same day is allowed
        (D(2013, 2, 28), D(2013, 2, 27), False),
        (None, D(2013, 2, 27), True),
        (D(2013, 2, 28), None, True),
        (None, None, True),
    ],
)
def test_deadlines_approval_not_before_submission(plans_due, approvals_due, valid):
    year = factories.FinancialYearFactory(start_year=2012)
    if valid:
        services.set_plan_deadlines(year=year, plans_due=plans_due, approvals_due=approvals_due)
        year.refresh_from_db()
        assert (year.plans_due, year.approvals_due) == (plans_due, approvals_due)
    else:
        with pytest.raises(ValidationError, match="approval before they are submitted"):
            services.set_plan_deadlines(year=year, plans_due=plans_due, approvals_due=approvals_due)
        year.refresh_from_db()
        assert year.plans_due is None and year.approvals_due is None


def test_the_years_page_creates_makes_current_and_sets_deadlines(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("plans:year-create"), follow=True)
    assert "2014/15 created, with its monitoring points" in response.content.decode()
    response = client.post(reverse("plans:year-make-current", args=[2013]), follow=True)
    assert "2013/14 is now the current year; 2012/13 is no longer current." in (
        response.content.decode().replace("&#x27;", "'")
    )
    assert current_years() == [2013]
    bad = {"year": world.next_year.pk, "plans_due": "2014-02-28", "approvals_due": "2014-02-01"}
    response = client.post(reverse("plans:year-deadlines"), bad)
    assert response.status_code == 400
    assert "approval before they are submitted" in response.content.decode()
    good = {**bad, "approvals_due": "2014-03-14"}
    response = client.post(reverse("plans:year-deadlines"), good, follow=True)
    assert "submission by 28 February 2014, approval by 14 March 2014" in (
        response.content.decode()
    )
    world.next_year.refresh_from_db()
    assert world.next_year.approvals_due == D(2014, 3, 14)
