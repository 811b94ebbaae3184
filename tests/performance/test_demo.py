"""The demo council's indicators reproduce the Sevenoaks 2012/13 summary's Part 3b tables at August
2012."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from organisation.models import FinancialYear, Priority
from organisation.services import import_structure
from performance import demo
from performance.models import Actual, Indicator, PeriodTarget, Target
from performance.periods import Period
from performance.rules import Rag
from performance.selectors import head_of_service_summaries, indicator_statuses
from tests import factories

pytestmark = pytest.mark.django_db

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"


@pytest.fixture
def council():
    """What plans' demo loader has set up by the time it calls performance.demo."""
    import_structure(content=(DEMO_DIR / "structure.csv").read_bytes(), filename="structure.csv")
    for item in json.loads((DEMO_DIR / "priorities.json").read_text()):
        Priority.objects.create(**item)
    FinancialYear.objects.create(start_year=2012, is_current=True)
    return factories.UserFactory(username="admin")


def snapshot() -> tuple:
    return tuple(
        list(model.objects.order_by("pk").values())
        for model in (Indicator, Target, PeriodTarget, Actual)
    )


def test_the_demo_summary_at_august_2012_reproduces_seed_004(council):
    demo.load_demo()
    year = FinancialYear.objects.get(start_year=2012)
    summaries = {
        portfolio.head_of_service.name: {
            summary.service.name: summary.counts for summary in portfolio.services
        }
        for portfolio in head_of_service_summaries(year=year, as_at=Period(2012, 8))
    }
    for head, services in demo.DEMO_SUMMARY.items():
        for service, (green, amber, red, overall) in services.items():
            counts = summaries[head][service]
            assert (counts.green, counts.amber, counts.red) == (green, amber, red), service
            if overall == "-":
                assert counts.overall is None, service
            elif overall:
                assert counts.overall == Rag(overall), service


def test_the_demo_has_what_a_performance_officer_would_show(council):
    demo.load_demo()
    indicators = Indicator.objects.all()
    assert indicators.count() == 60
    assert {i.frequency for i in indicators} == {"monthly", "quarterly", "half-yearly", "annual"}
    assert {i.polarity for i in indicators} == {"higher", "lower"}
    assert indicators.filter(is_corporate=True).count() >= 8
    assert indicators.filter(indicator_type="activity").exists()
    assert indicators.get(code="NI 181").title.startswith("Time taken to process Housing Benefit")
    assert PeriodTarget.objects.filter(target__indicator__code="BV 9").count() == 22
    years = {actual.period.financial_year for actual in Actual.objects.all()}
    assert years == {2011, 2012}
    assert Actual.objects.filter(state="awaited").exists()
    assert Actual.objects.filter(state="estimate").exists()
    assert Actual.objects.exclude(forecast_outturn=None).count() >= 4
    assert set(Actual.objects.values_list("entered_by__username", flat=True)) == {"admin"}


def test_every_red_in_august_2012_has_commentary(council):
    demo.load_demo()
    year = FinancialYear.objects.get(start_year=2012)
    reds = [
        status
        for status in indicator_statuses(year=year, as_at=Period(2012, 8))
        if status.rag == Rag.RED
    ]
    assert len(reds) == 10  # the Sevenoaks 2012/13 summary: 9, and NI 157c in Development Control
    assert all(len(status.commentary) > 40 for status in reds)


def test_loading_the_demo_again_changes_nothing_and_keeps_the_current_year(council):
    demo.load_demo()
    before = snapshot()
    demo.load_demo()
    assert snapshot() == before
    assert FinancialYear.objects.get(is_current=True).start_year == 2012
    assert set(FinancialYear.objects.values_list("start_year", flat=True)) == {2011, 2012}
