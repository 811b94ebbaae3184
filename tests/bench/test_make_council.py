"""bench/make_council.py builds its council through the product's own routes: a small one here,
so a change to an import, the plan editor or the workflow that would break the county-size
benchmarks is found by the suite, not on the day of a measurement."""

import importlib.util
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from organisation.models import ImportLog, Service
from performance.models import Actual, FigureChange, FigureSignOff, Indicator, Target
from plans.models import Action, PlanEvent, ServicePlan
from reports.models import GeneratedReport

pytestmark = pytest.mark.django_db
SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "make_council.py"


@pytest.fixture
def make_council(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.REPORTS_WORKER = "process"  # the plan PDFs publishing queues wait for a worker
    spec = importlib.util.spec_from_file_location("make_council", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_small_council_is_made_through_the_imports_the_editor_and_the_workflow(
    make_council, django_capture_on_commit_callbacks
):
    sizes = make_council.Sizes(services=3, indicators=6, years=2, actions=4)
    with django_capture_on_commit_callbacks(execute=True):
        council = make_council.build_council(sizes)

    assert Service.objects.count() == 3
    plans = ServicePlan.objects.published()
    assert plans.count() == 3
    assert Action.objects.filter(plan__in=plans).count() == 3 * 4
    kinds = set(PlanEvent.objects.values_list("kind", flat=True))
    assert {"created", "submitted", "approved", "published"} <= kinds, "through the workflow"
    assert Indicator.objects.count() == 6
    assert Target.objects.count() == 6 * 2
    months = len(sizes.months)  # April 2011 to August 2012
    assert months == 17
    assert Actual.objects.count() == 6 * months
    routes = set(FigureChange.objects.values_list("route", flat=True))
    assert {FigureChange.Route.UPLOAD, FigureChange.Route.GRID} <= routes
    assert FigureSignOff.objects.count() == 3 * 4, "April to July of the current year"
    assert set(ImportLog.objects.values_list("kind", flat=True)) >= {"users"}
    assert set(council.accounts) == {"admin", "head", "officer", "member"}
    user = get_user_model().objects.get(username=council.accounts["member"])
    assert user.check_password(make_council.PASSWORD)
    assert make_council.withdraw_plan_pdfs() == 3
    assert not GeneratedReport.objects.exists()
