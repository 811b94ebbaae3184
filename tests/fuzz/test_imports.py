"""Every import format, fed random and hostile files: the import either succeeds or refuses
the file with its problems (ImportRejected), never raises anything else, and a refused file
leaves the database exactly as it was."""

import csv
import datetime
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from budgets.services import (
    import_budget_risks,
    import_budgets,
    import_reporting_lines,
    import_savings,
)
from budgets.services.common import (
    BUDGET_COLUMNS,
    BUDGET_RISK_COLUMNS,
    REPORTING_LINE_COLUMNS,
    SAVING_COLUMNS,
)
from organisation.services import STRUCTURE_COLUMNS, import_structure
from performance.services import (
    ACTUAL_COLUMNS,
    INDICATOR_COLUMNS,
    INDICATOR_OPTIONAL_COLUMNS,
    TARGET_COLUMNS,
    import_actuals,
    import_indicators,
    import_targets,
)
from spreadsheets.reader import ImportRejected
from tests import factories
from tests.fuzz.hostile import hostile_text
from tests.fuzz.snapshot import changed_tables, snapshot
from tests.security.hostile_files import HOSTILE_FILES

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2013, 4, 15)

# Values that are right, nearly right or wrong for each column, so that some files get past
# the first checks and reach the deeper ones.
PLAUSIBLE = {
    "service": ["Licensing", "licensing", "Finance", "Parking", ""],
    "services": ["Licensing; Finance", "Licensing", "Licensing;Licensing", ""],
    "reporting_line": ["Licensing and Finance", "Licensing", ""],
    "head_of_service": ["Head of Licensing", "Finance & HR", ""],
    "directorate": ["Corporate", ""],
    "shared_with": ["", "Tunbridge Wells"],
    "committees": ["Cabinet", "Cabinet: Street Cleaning; Services Select Committee", ";", ""],
    "code": ["LPI LI01", "lpi li02", "NEW 1", ""],
    "title": ["Processing time", ""],
    "unit": ["%", "days", ""],
    "polarity": ["higher", "lower", "sideways"],
    "frequency": ["monthly", "quarterly", "half-yearly", "annual", "weekly"],
    "tolerance": ["", "5%", "2", "-5%", "100000%"],
    "corporate": ["yes", "no", "maybe"],
    "accountable_manager": ["J Smith", ""],
    "definition": ["Days from claim to decision", ""],
    "type": ["national", "local", "corporate", "activity data", "x"],
    "decimal_places": ["0", "2", "4", "5", "-1"],
    "data_source": ["", "Academy"],
    "priorities": ["", "P1", "P1; P2"],
    "year": ["2012/13", "2011/12", "2013/14", "2030/31", "2012", "12/13"],
    "period": ["2012/13", "2011/12", "2008/09-2009/10", "2012/13-2011/12", "2012"],
    "period_end": ["2012-08", "2012-06", "2013-03", "2012-13", "2014-03", ""],
    "state": ["verified", "estimate", "awaited", "", "x"],
    "commentary": ["", "Two vacancies."],
    "forecast": ["", "yes", "no", "95"],
    "status": ["agreed", "achieved", "at risk", "not achieved", "x"],
    "description": ["Restructure", ""],
    "text": ["", "Income from parking may fall."],
}
NUMBER_WORDS = ["0", "95", "-1,711", "(1,711)", "3,662", "0.5", "12.345", "1e5", "9" * 20]


def cell_values(column: str):
    return st.one_of(
        st.sampled_from(PLAUSIBLE.get(column, NUMBER_WORDS)),
        st.sampled_from(NUMBER_WORDS),
        hostile_text,
    )


@st.composite
def spreadsheet(draw, columns: tuple[str, ...]):
    """A CSV or XLSX file with these columns (perhaps one missing, one doubled, in any order)
    and a few rows of plausible and hostile values; or now and then a hostile file."""
    if draw(st.integers(0, 14)) == 0:
        _, name, content, _ = draw(st.sampled_from(HOSTILE_FILES[4:]))  # the quick ones
        return name, content
    header = list(draw(st.permutations(columns)))
    mutation = draw(st.integers(0, 9))
    if mutation == 0:
        header.pop()
    elif mutation == 1:
        header.append(header[0])
    elif mutation == 2:
        header.append(draw(hostile_text))
    rows = [
        [draw(cell_values(column)) for column in header] for _ in range(draw(st.integers(0, 4)))
    ]
    if draw(st.integers(0, 4)) == 0:
        workbook = Workbook()
        for row in [header, *rows]:
            # openpyxl refuses control characters in cells, as Excel does
            workbook.active.append(["".join(c for c in str(v) if c >= " ") for v in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return "figures.xlsx", buffer.getvalue()
    text = io.StringIO()
    csv.writer(text).writerows([header, *rows])
    return draw(
        st.sampled_from(["figures.csv", "FIGURES.CSV", "figures.txt"])
    ), text.getvalue().encode()


@pytest.fixture
def council(world):
    """World plus what the imports look up: indicators with targets and a priority."""
    factories.PriorityFactory(code="P1")
    for code in ("LPI LI01", "LPI LI02"):
        indicator = factories.IndicatorFactory(code=code, service=world.service_a)
        factories.TargetFactory(indicator=indicator, year=world.year, value=90)
    return world


IMPORTS = {
    "structure": (import_structure, STRUCTURE_COLUMNS),
    "indicators": (import_indicators, INDICATOR_COLUMNS + INDICATOR_OPTIONAL_COLUMNS),
    "targets": (import_targets, (*TARGET_COLUMNS, "period_end")),
    "actuals": (
        lambda **file: import_actuals(**file, today=TODAY),
        (*ACTUAL_COLUMNS, "forecast"),
    ),
    "budgets": (import_budgets, BUDGET_COLUMNS),
    "savings": (import_savings, SAVING_COLUMNS),
    "budget risks": (import_budget_risks, (*BUDGET_RISK_COLUMNS, "title")),
    "reporting lines": (import_reporting_lines, REPORTING_LINE_COLUMNS),
}


@pytest.mark.parametrize("kind", IMPORTS)
def test_imports_accept_or_refuse_whole_files(council, kind):
    run_import, columns = IMPORTS[kind]

    @given(spreadsheet(columns))
    def run(file):
        filename, content = file
        before = snapshot()
        try:
            run_import(content=content, filename=filename)
        except ImportRejected as rejected:
            assert rejected.errors, "a refusal names its problems"
            assert all(str(error) for error in rejected.errors)
            assert changed_tables(before, snapshot()) == []

    run()
