"""Every model is in the admin, and its pages open for an administrator."""

import datetime

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisation import models as organisation
from plans import models
from tests import factories

pytestmark = pytest.mark.django_db

PLANS_MODELS = [
    model for model in admin.site._registry if model._meta.app_label in ("organisation", "plans")
]


@pytest.fixture
def admin_client(client):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def plan_with_everything():
    plan = factories.ServicePlanFactory()
    factories.CommitteeReviewFactory(service=plan.service, scope_note="Street Cleaning")
    action = factories.ActionFactory(plan=plan)
    factories.MilestoneFactory(action=action)
    factories.ProgressUpdateFactory(item=action)
    for factory in (
        factories.ProjectFactory,
        factories.RiskFactory,
        factories.ConsultationFactory,
        factories.WorkStreamFactory,
    ):
        factory(plan=plan)
    factories.PriorityFactory()
    factories.DirectorateFactory()
    from organisation.models import SignOnIdentity

    SignOnIdentity.objects.create(
        user=factories.UserFactory(), issuer="https://login.example", subject="abc"
    )
    return plan


def test_every_plans_model_is_registered():
    registered = {model.__name__ for model in PLANS_MODELS}
    expected = {
        model.__name__
        for model in [
            organisation.FinancialYear,
            organisation.Directorate,
            organisation.HeadOfService,
            organisation.Service,
            organisation.Committee,
            organisation.CommitteeReview,
            organisation.Priority,
            models.ServicePlan,
            models.Objective,
            models.Action,
            models.Project,
            models.Risk,
            models.Consultation,
            models.WorkStream,
            models.ProgressUpdate,
        ]
    }
    assert expected <= registered


@pytest.mark.parametrize("model", PLANS_MODELS, ids=lambda m: m.__name__)
def test_changelist_add_and_change_pages_open(admin_client, plan_with_everything, model):
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    assert admin_client.get(reverse(f"{prefix}_changelist")).status_code == 200
    # Read-only ones (links single sign-on made) refuse the add page.
    may_add = admin.site._registry[model].has_add_permission(_request(admin_client))
    assert admin_client.get(reverse(f"{prefix}_add")).status_code == (200 if may_add else 403)
    change = reverse(f"{prefix}_change", args=[model.objects.first().pk])
    assert admin_client.get(change).status_code == 200


def _request(client):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = client.get("/").wsgi_request.user
    return request


def changelist_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url_name", "make_one"),
    [
        (
            "admin:organisation_service_changelist",
            lambda: factories.CommitteeReviewFactory(scope_note="CCTV"),
        ),
        ("admin:plans_serviceplan_changelist", lambda: factories.ServicePlanFactory()),
        ("admin:plans_action_changelist", lambda: factories.ActionFactory()),
        ("admin:organisation_headofservice_changelist", lambda: factories.ServiceFactory()),
    ],
)
def test_changelist_queries_do_not_grow_with_rows(admin_client, url_name, make_one):
    make_one()
    few = changelist_queries(admin_client, reverse(url_name))
    for _ in range(5):
        make_one()
    assert changelist_queries(admin_client, reverse(url_name)) == few


def year_form(year, **fields) -> dict:
    return {
        "start_year": year.start_year,
        "monitoring_points-TOTAL_FORMS": "0",
        "monitoring_points-INITIAL_FORMS": "0",
        **fields,
    }


def test_administrators_set_the_planning_rounds_deadlines(admin_client):
    year = factories.FinancialYearFactory(start_year=2012)
    url = reverse("admin:organisation_financialyear_change", args=[year.pk])
    assert "Plans submitted by" in admin_client.get(url).content.decode()
    response = admin_client.post(
        url, year_form(year, plans_due="2013-02-28", approvals_due="2013-03-15")
    )
    assert response.status_code == 302
    year.refresh_from_db()
    assert (year.plans_due, year.approvals_due) == (
        datetime.date(2013, 2, 28),
        datetime.date(2013, 3, 15),
    )


def test_approval_before_submission_is_refused_in_the_admin(admin_client):
    year = factories.FinancialYearFactory(start_year=2012)
    url = reverse("admin:organisation_financialyear_change", args=[year.pk])
    response = admin_client.post(
        url, year_form(year, plans_due="2013-02-28", approvals_due="2013-02-01")
    )
    assert response.status_code == 200
    assert "Plans cannot be due for approval before they are submitted." in (
        response.content.decode()
    )
    year.refresh_from_db()
    assert year.plans_due is None
