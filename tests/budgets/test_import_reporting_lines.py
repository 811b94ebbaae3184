"""The reporting lines import: services the finance team reports as one line."""

import pytest

from budgets.models import ReportingLine
from budgets.services import import_reporting_lines
from tests import factories
from tests.budgets.helpers import csv_bytes, rejected, snapshot, where

pytestmark = pytest.mark.django_db

HEADER = "reporting_line,services"


def lines_csv(*lines: str) -> bytes:
    return csv_bytes(HEADER, *lines)


def members() -> dict[str, list[str]]:
    return {
        line.name: sorted(service.name for service in line.services.all())
        for line in ReportingLine.objects.prefetch_related("services")
    }


def test_lines_are_created_updated_and_a_second_run_changes_nothing(council):
    content = lines_csv("Housing Services,Housing Policy; Communications")
    result = import_reporting_lines(content=content, filename="l.csv")
    assert result.created == {"reporting lines": 1, "services in reporting lines": 2}
    line = ReportingLine.objects.get(name="Housing Services")
    assert line.head_of_service == council["heads"]["housing"]
    assert not import_reporting_lines(content=content, filename="l.csv").changed_anything
    same_in_another_order = lines_csv("housing services,communications;housing policy")
    result = import_reporting_lines(content=same_in_another_order, filename="l.csv")
    assert result.describe() == "1 row read; 1 reporting lines updated."  # the name's case
    result = import_reporting_lines(
        content=lines_csv(
            "Private & Social Housing,Private Housing; Housing Policy",
            "housing services,Communications; Social Housing",
        ),
        filename="l.csv",
    )
    assert members() == {
        "Private & Social Housing": ["Housing Policy", "Private Housing"],
        "housing services": ["Communications", "Social Housing"],
    }
    assert result.describe() == (
        "2 rows read; 2 services in reporting lines created, 2 services in reporting lines removed."
    )


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(
            [",Communications; Housing Policy"],
            [(2, "reporting_line", "a name is required")],
            id="no-name",
        ),
        pytest.param(
            ["Communications,Communications; Housing Policy"],
            [(2, "reporting_line", "'Communications' is the name of a service")],
            id="name-of-a-service",
        ),
        pytest.param(
            ["Housing Services,Communications; Housing Polcy"],
            [
                (
                    2,
                    "services",
                    "no service is called 'Housing Polcy'. Did you mean 'Housing Policy'?",
                )
            ],
            id="unknown-service",
        ),
        pytest.param(
            ["Housing Services,Communications"],
            [(2, "services", "a reporting line covers two or more services")],
            id="one-service",
        ),
        pytest.param(
            ["Mixed,Communications; IT Services"],
            [(2, "services", "different heads of service")],
            id="two-heads-of-service",
        ),
        pytest.param(
            [
                "Housing Services,Communications; Housing Policy",
                "More,Housing Policy; Private Housing",
            ],
            [(3, "services", "'Housing Policy' is already in the line on row 2")],
            id="service-in-two-lines-of-the-file",
        ),
        pytest.param(
            ["Housing Services,Communications; Social Housing"],
            [
                (
                    2,
                    "services",
                    "'Social Housing' is already in the reporting line 'Private & Social Housing'",
                )
            ],
            id="service-in-a-recorded-line",
        ),
        pytest.param(
            [
                "Housing Services,Communications; Housing Policy",
                "housing services,Communications; Housing Policy",
            ],
            [(3, "reporting_line", "already given on row 2")],
            id="duplicate-line",
        ),
        pytest.param(
            ["Private & Social Housing,Private Housing; Social Housing; Housing Policy"],
            [
                (
                    2,
                    "services",
                    "'Housing Policy' has a budget of its own for 2012/13 that the line's "
                    "figures for 2012/13 would count again",
                )
            ],
            id="would-count-a-budget-twice",
        ),
    ],
)
def test_a_bad_file_is_refused_whole_and_changes_nothing(council, lines, expected):
    years = council["years"]
    factories.BudgetFactory(service=council["services"]["Housing Policy"], year=years[2012])
    factories.BudgetFactory(service=None, reporting_line=council["line"], year=years[2012])
    before = snapshot()
    errors = rejected(import_reporting_lines, lines_csv(*lines))
    assert where(errors) == [(row, column) for row, column, _ in expected]
    for error, (_, _, words) in zip(errors, expected, strict=True):
        assert words in error.message
    assert snapshot() == before


def test_savings_of_a_service_that_would_overlap_its_new_lines_span_are_refused(council):
    years = council["years"]
    factories.SavingFactory(service=council["services"]["Housing Policy"], first_year=years[2009])
    factories.SavingFactory(
        service=None, reporting_line=council["line"], first_year=years[2008], last_year=years[2009]
    )
    errors = rejected(
        import_reporting_lines,
        lines_csv("Private & Social Housing,Private Housing; Social Housing; Housing Policy"),
    )
    assert where(errors) == [(2, "services")]
    assert "savings of its own for 2009/10" in errors[0].message
