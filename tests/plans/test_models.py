"""The database refuses what the domain forbids, by named constraint."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from organisation.models import FinancialYear
from plans.models import ServicePlan
from tests import factories
from tests.helpers import assert_refused

pytestmark = pytest.mark.django_db


def test_only_one_current_financial_year():
    factories.FinancialYearFactory(start_year=2011, is_current=True)
    assert_refused(
        "plans_one_current_financial_year",
        lambda: factories.FinancialYearFactory.build(start_year=2012, is_current=True),
    )


def test_financial_year_has_label_and_dates():
    year = factories.FinancialYearFactory.build(start_year=2012)
    assert str(year) == "2012/13"
    assert year.start_date == datetime.date(2012, 4, 1)
    assert year.end_date == datetime.date(2013, 3, 31)


def test_only_a_shared_service_names_a_partner():
    assert_refused(
        "plans_service_partner_only_when_shared",
        lambda: factories.ServiceFactory.build(
            head_of_service=factories.HeadOfServiceFactory(),
            is_shared=False,
            shared_with="Dartford BC",
        ),
    )
    assert factories.ServiceFactory(is_shared=True, shared_with="Dartford BC").pk


def test_a_committee_reviews_a_service_once():
    review = factories.CommitteeReviewFactory()
    assert_refused(
        "plans_one_review_per_service_committee",
        lambda: factories.CommitteeReviewFactory.build(
            service=review.service, committee=review.committee, scope_note="Street Cleaning"
        ),
    )


def test_priority_span_cannot_be_reversed():
    assert_refused(
        "plans_priority_span_not_reversed",
        lambda: factories.PriorityFactory.build(first_year=2014, last_year=2011),
    )


def test_one_plan_per_service_year_and_version():
    plan = factories.ServicePlanFactory(published=True)
    assert_refused(
        "plans_one_plan_per_service_year_version",
        lambda: factories.ServicePlanFactory.build(
            service=plan.service,
            year=plan.year,
            version=1,
            status="superseded",
            endorsed_by=plan.endorsed_by,
            endorsed_on=plan.endorsed_on,
        ),
    )


def test_only_one_published_version_per_service_and_year():
    plan = factories.ServicePlanFactory(published=True)
    assert_refused(
        "plans_one_published_plan_per_service_year",
        lambda: factories.ServicePlanFactory.build(
            service=plan.service,
            year=plan.year,
            version=2,
            status="published",
            endorsed_by=plan.endorsed_by,
            endorsed_on=plan.endorsed_on,
        ),
    )


def test_only_one_working_version_per_service_and_year():
    published = factories.ServicePlanFactory(published=True)
    revision = factories.ServicePlanFactory(
        service=published.service, year=published.year, version=2
    )
    assert revision.status == ServicePlan.Status.DRAFT
    assert_refused(
        "plans_one_working_version_per_service_year",
        lambda: factories.ServicePlanFactory.build(
            service=published.service, year=published.year, version=3, status="submitted"
        ),
    )


def test_a_plan_of_another_year_is_a_different_plan():
    plan = factories.ServicePlanFactory()
    next_year = factories.FinancialYearFactory(start_year=2013)
    assert factories.ServicePlanFactory(service=plan.service, year=next_year).pk


def saved_plan_parts() -> dict:
    return {"service": factories.ServiceFactory(), "year": factories.FinancialYearFactory()}


def test_plan_version_starts_at_one():
    assert_refused(
        "plans_plan_version_positive",
        lambda: factories.ServicePlanFactory.build(version=0, **saved_plan_parts()),
    )


@pytest.mark.parametrize("status", ["published", "superseded"])
def test_published_plan_records_its_endorsement(status):
    assert_refused(
        "plans_published_plan_records_endorsement",
        lambda: factories.ServicePlanFactory.build(status=status, **saved_plan_parts()),
    )


@pytest.mark.parametrize(
    ("likelihood", "impact", "constraint"),
    [
        (0, 3, "plans_risk_likelihood_1_to_5"),
        (6, 3, "plans_risk_likelihood_1_to_5"),
        (3, 0, "plans_risk_impact_1_to_5"),
        (3, 6, "plans_risk_impact_1_to_5"),
    ],
)
def test_risk_scores_are_on_a_five_point_scale(likelihood, impact, constraint):
    plan = factories.ServicePlanFactory()
    assert_refused(
        constraint,
        lambda: factories.RiskFactory.build(plan=plan, likelihood=likelihood, impact=impact),
    )


@pytest.mark.parametrize(
    ("likelihood", "impact", "score", "rating"),
    [
        (1, 1, 1, "Low"),
        (2, 3, 6, "Low"),
        (2, 4, 8, "Medium"),
        (3, 4, 12, "Medium"),
        (3, 5, 15, "High"),
        (5, 5, 25, "High"),
    ],
)
def test_risk_score_is_likelihood_times_impact(likelihood, impact, score, rating):
    risk = factories.RiskFactory.build(likelihood=likelihood, impact=impact)
    assert (risk.score, risk.rating) == (score, rating)


def test_consultation_cannot_end_before_it_starts():
    assert_refused(
        "plans_consultation_ends_after_start",
        lambda: factories.ConsultationFactory.build(
            plan=factories.ServicePlanFactory(),
            start_date=datetime.date(2012, 7, 1),
            end_date=datetime.date(2012, 6, 1),
        ),
    )


def test_model_validation_reports_constraint_messages():
    """The admin's forms show these messages instead of a server error."""
    factories.FinancialYearFactory(start_year=2011, is_current=True)
    year = FinancialYear(start_year=2012, is_current=True)
    with pytest.raises(ValidationError, match="Only one financial year can be the current one"):
        year.full_clean()


@pytest.mark.parametrize(
    "factory",
    [
        factories.FinancialYearFactory,
        factories.DirectorateFactory,
        factories.HeadOfServiceFactory,
        factories.CommitteeFactory,
        factories.ServiceFactory,
        factories.CommitteeReviewFactory,
        factories.PriorityFactory,
        factories.ServicePlanFactory,
        factories.ObjectiveFactory,
        factories.ActionFactory,
        factories.MilestoneFactory,
        factories.ProjectFactory,
        factories.RiskFactory,
        factories.ConsultationFactory,
        factories.WorkStreamFactory,
    ],
)
def test_every_model_saves_and_names_itself(factory):
    instance = factory()
    instance.full_clean()
    assert str(instance).strip()
