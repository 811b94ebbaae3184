"""Indicator, target and actual imports: all-or-nothing, idempotent, errors by row and column,
a fixed number of queries however long the file."""

import datetime
import io
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command

from performance.models import Actual, Indicator, PeriodTarget, Target
from performance.services import import_actuals, import_indicators, import_targets
from spreadsheets.reader import ImportRejected
from tests import factories
from tests.helpers import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

INDICATOR_HEADER = (
    "code,title,service,unit,polarity,frequency,tolerance,corporate,accountable_manager,definition"
)
TODAY = datetime.date(2013, 4, 30)


def snapshot() -> tuple:
    """Everything the imports can write, in a comparable form."""
    return (
        list(Indicator.objects.order_by("pk").values()),
        list(Indicator.priorities.through.objects.order_by("pk").values()),
        list(Target.objects.order_by("pk").values()),
        list(PeriodTarget.objects.order_by("pk").values()),
        list(Actual.objects.order_by("pk").values()),
    )


def errors_of(call, **kwargs) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportRejected) as refusal:
        call(**kwargs)
    return [(e.row, e.column, e.message) for e in refusal.value.errors]


@pytest.fixture
def council():
    """Two services, two years, three indicators of different frequencies."""
    finance = factories.ServiceFactory(name="Housing Benefits")
    factories.ServiceFactory(name="Direct Services")
    factories.FinancialYearFactory(start_year=2011)
    factories.FinancialYearFactory(start_year=2012)
    factories.PriorityFactory(code="P9")
    factories.PriorityFactory(code="P10")
    return {
        "monthly": factories.IndicatorFactory(
            code="NI 181", service=finance, frequency="monthly", polarity="lower"
        ),
        "quarterly": factories.IndicatorFactory(
            code="LPI HB01", service=finance, frequency="quarterly"
        ),
        "annual": factories.IndicatorFactory(code="LPI HB02", service=finance, frequency="annual"),
    }


# Indicators ------------------------------------------------------------------------------------

INDICATORS = csv_bytes(
    INDICATOR_HEADER,
    "NI 181,Time taken to process Housing Benefit new claims and change events,Housing Benefits,"
    "days,lower,monthly,,yes,Benefits Manager,Average days from claim to decision",
    "LPI DS01,Missed bins per 100000 collections,direct services,number,Lower is better,"
    "Quarterly,5,no,Direct Services Manager,",
    "LPI DS02,Household waste recycled or composted,Direct Services,%,higher,half-yearly,"
    "7.5%,,Direct Services Manager,NI 192 definition",
)


def test_indicators_import_creates_them_with_every_column(council):
    result = import_indicators(content=INDICATORS, filename="indicators.csv")
    assert result.describe() == (
        "3 rows read; 2 performance indicators created, 1 performance indicators updated."
    )
    ni181 = Indicator.objects.get(code="NI 181")
    assert ni181.title.startswith("Time taken")
    assert (ni181.polarity, ni181.frequency, ni181.is_corporate) == ("lower", "monthly", True)
    assert ni181.tolerance_percent is None and ni181.tolerance_absolute is None
    missed = Indicator.objects.get(code="LPI DS01")
    assert missed.service.name == "Direct Services"
    assert (missed.tolerance_percent, missed.tolerance_absolute) == (None, D(5))
    assert (missed.frequency, missed.is_corporate) == ("quarterly", False)
    recycled = Indicator.objects.get(code="LPI DS02")
    assert (recycled.tolerance_percent, recycled.frequency) == (D("7.5"), "half-yearly")
    assert str(recycled.tolerance) == "7.5%"


def test_reimporting_indicators_changes_nothing(council):
    import_indicators(content=INDICATORS, filename="indicators.csv")
    before = snapshot()
    result = import_indicators(content=INDICATORS, filename="indicators.csv")
    assert result.describe() == "3 rows read; nothing changed."
    assert snapshot() == before


def test_indicator_codes_match_ignoring_case_and_spaces(council):
    import_indicators(
        content=csv_bytes(
            INDICATOR_HEADER, "ni  181,New title,Housing Benefits,days,lower,monthly,,yes,,"
        ),
        filename="i.csv",
    )
    assert Indicator.objects.count() == 3
    assert Indicator.objects.get(pk=council["monthly"].pk).title == "New title"


def test_optional_indicator_columns_are_read_when_present_and_kept_when_absent(council):
    header = INDICATOR_HEADER + ",type,decimal_places,data_source,priorities"
    import_indicators(
        content=csv_bytes(
            header,
            "NI 181,T,Housing Benefits,days,lower,monthly,,yes,,,national,1,DWP SHBE,P9; p10",
        ),
        filename="i.csv",
    )
    indicator = Indicator.objects.get(code="NI 181")
    assert (indicator.indicator_type, indicator.decimal_places, indicator.data_source) == (
        "national",
        1,
        "DWP SHBE",
    )
    assert sorted(indicator.priorities.values_list("code", flat=True)) == ["P10", "P9"]
    result = import_indicators(
        content=csv_bytes(
            header,
            "NI 181,T,Housing Benefits,days,lower,monthly,,yes,,,National indicator,1,DWP SHBE,P10",
        ),
        filename="i.csv",
    )
    assert list(indicator.priorities.values_list("code", flat=True)) == ["P10"]
    assert result.changed["performance indicators"] == 1
    import_indicators(
        content=csv_bytes(INDICATOR_HEADER, "NI 181,T,Housing Benefits,days,lower,monthly,,yes,,"),
        filename="i.csv",
    )
    indicator.refresh_from_db()
    assert indicator.decimal_places == 1, "a column the file does not have is left alone"
    assert list(indicator.priorities.values_list("code", flat=True)) == ["P10"]


@pytest.mark.parametrize(
    ("line", "column", "words"),
    [
        (",T,Housing Benefits,%,higher,monthly,,,,", "code", "a code is required"),
        ("X1,,Housing Benefits,%,higher,monthly,,,,", "title", "a title is required"),
        ("X1,T,Housing,%,higher,monthly,,,,", "service", "'Housing' is not a service"),
        ("X1,T,,%,higher,monthly,,,,", "service", "a service is required"),
        ("X1,T,Housing Benefits,%,up,monthly,,,,", "polarity", "write higher or lower"),
        ("X1,T,Housing Benefits,%,higher,weekly,,,,", "frequency", "'weekly' is not a frequency"),
        ("X1,T,Housing Benefits,%,higher,monthly,ten,,,", "tolerance", "'ten' is not a number"),
        ("X1,T,Housing Benefits,%,higher,monthly,-5%,,,", "tolerance", "cannot be negative"),
        ("X1,T,Housing Benefits,%,higher,monthly,,maybe,,", "corporate", "not yes or no"),
        ("X" * 31 + ",T,Housing Benefits,%,higher,monthly,,,,", "code", "longer than 30"),
        ("X1,T,Housing Benefits," + "u" * 21 + ",higher,monthly,,,,", "unit", "longer than 20"),
    ],
)
def test_a_bad_indicator_row_is_refused_by_row_and_column(council, line, column, words):
    before = snapshot()
    errors = errors_of(
        import_indicators,
        content=csv_bytes(INDICATOR_HEADER, "X0,Fine,Housing Benefits,%,higher,monthly,,,,", line),
        filename="i.csv",
    )
    assert [(row, col) for row, col, _ in errors] == [(3, column)]
    assert words in errors[0][2]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("extra", "value", "column", "words"),
    [
        ("type", "regional", "type", "is not a type"),
        ("decimal_places", "5", "decimal_places", "from 0 to 4"),
        ("decimal_places", "one", "decimal_places", "from 0 to 4"),
        ("priorities", "P9; P99", "priorities", "'P99' is not a corporate priority"),
    ],
)
def test_a_bad_optional_indicator_cell_is_refused(council, extra, value, column, words):
    errors = errors_of(
        import_indicators,
        content=csv_bytes(
            INDICATOR_HEADER + "," + extra,
            f"X1,T,Housing Benefits,%,higher,monthly,,,,,{value}",
        ),
        filename="i.csv",
    )
    assert [(row, col) for row, col, _ in errors] == [(2, column)]
    assert words in errors[0][2]


def test_a_duplicate_indicator_code_names_the_first_row(council):
    errors = errors_of(
        import_indicators,
        content=csv_bytes(
            INDICATOR_HEADER,
            "X1,T,Housing Benefits,%,higher,monthly,,,,",
            "x1,T,Housing Benefits,%,higher,monthly,,,,",
        ),
        filename="i.csv",
    )
    assert errors == [(3, "code", "'x1' is already on row 2.")]


def test_a_missing_indicator_column_is_refused(council):
    errors = errors_of(
        import_indicators,
        content=b"code,title,service\nX1,T,Housing Benefits\n",
        filename="i.csv",
    )
    assert {column for _, column, _ in errors} == {
        "unit",
        "polarity",
        "frequency",
        "tolerance",
        "corporate",
        "accountable_manager",
        "definition",
    }


def test_indicators_from_xlsx_are_the_same_as_from_csv(council):
    import csv

    rows = list(csv.reader(io.StringIO(INDICATORS.decode())))
    import_indicators(content=xlsx_bytes(rows), filename="indicators.xlsx")
    from_xlsx = snapshot()
    result = import_indicators(content=INDICATORS, filename="indicators.csv")
    assert not result.changed_anything
    assert snapshot() == from_xlsx


# Targets ---------------------------------------------------------------------------------------


def test_targets_import_annual_and_profiled_targets(council):
    result = import_targets(
        content=csv_bytes(
            "code,year,target,period_end",
            "NI 181,2012/13,12,",
            "LPI HB01,2012/13,98.5%,",
            "LPI HB01,2012-13,30,2012-06",
            "LPI HB01,2012/2013,60,2012-09-30",
            'LPI HB02,2011/12,"1,200",',
        ),
        filename="targets.csv",
    )
    assert result.describe() == "5 rows read; 2 profiled targets created, 3 targets created."
    hb01 = Target.objects.get(indicator__code="LPI HB01", year__start_year=2012)
    assert hb01.value == D("98.5")
    assert [(p.period.name, p.value) for p in hb01.profile.all()] == [
        ("2012-06", D(30)),
        ("2012-09", D(60)),
    ]
    assert Target.objects.get(indicator__code="LPI HB02").value == D(1200)


def test_reimporting_targets_changes_nothing_and_a_new_value_updates(council):
    content = csv_bytes("code,year,target,period_end", "NI 181,2012/13,12,", "LPI HB01,2012/13,98,")
    import_targets(content=content, filename="t.csv")
    before = snapshot()
    assert import_targets(content=content, filename="t.csv").describe() == (
        "2 rows read; nothing changed."
    )
    assert snapshot() == before
    result = import_targets(
        content=csv_bytes("code,year,target", "NI 181,2012/13,11"), filename="t.csv"
    )
    assert result.describe() == "1 row read; 1 targets updated."
    assert Target.objects.get(indicator__code="NI 181").value == D(11)
    assert Target.objects.count() == 2


@pytest.mark.parametrize("year", ["2012/13", "2012-13", "2012/2013"])
def test_every_spelling_of_a_year_is_accepted(council, year):
    """The spellings of a year are spreadsheets.cells.financial_year's (test_cells.py)."""
    import_targets(content=csv_bytes("code,year,target", f"NI 181,{year},12"), filename="t.csv")
    target = Target.objects.get()
    assert (target.year.start_year, target.value) == (2012, D(12))


def test_a_profile_may_rely_on_a_target_imported_earlier(council):
    import_targets(content=csv_bytes("code,year,target", "LPI HB01,2012/13,98"), filename="t.csv")
    result = import_targets(
        content=csv_bytes("code,year,target,period_end", "LPI HB01,2012/13,30,2012-06"),
        filename="t.csv",
    )
    assert result.created["profiled targets"] == 1
    result = import_targets(
        content=csv_bytes("code,year,target,period_end", "LPI HB01,2012/13,31,2012-06"),
        filename="t.csv",
    )
    assert result.changed["profiled targets"] == 1
    assert PeriodTarget.objects.get().value == D(31)


@pytest.mark.parametrize(
    ("line", "column", "words"),
    [
        ("NI 999,2012/13,5,", "code", "'NI 999' is not an indicator"),
        (",2012/13,5,", "code", "an indicator code is required"),
        ("NI 181,2012,5,", "year", "is not a financial year"),
        ("NI 181,2014/15,5,", "year", "2014/15 has not been set up"),
        ("NI 181,2012/13,,", "target", "a number is required"),
        ("NI 181,2012/13,five,", "target", "'five' is not a number"),
        ("NI 181,2012/13,1.2.3,", "target", "is not a number"),
        ('NI 181,2012/13,"1,23",', "target", "commas only between thousands"),
        ("LPI HB01,2012/13,30,2012-08", "period_end", "does not end a quarterly period"),
        ("LPI HB01,2012/13,30,2013-06", "period_end", "2013-06 is not in 2012/13"),
        ("LPI HB01,2012/13,30,June", "period_end", "is not a period"),
        ("LPI HB02,2011/12,30,2012-03", "period_end", "no target for 2011/12 to profile"),
    ],
)
def test_a_bad_target_row_is_refused_by_row_and_column(council, line, column, words):
    before = snapshot()
    errors = errors_of(
        import_targets,
        content=csv_bytes("code,year,target,period_end", "LPI HB01,2012/13,98,", line),
        filename="t.csv",
    )
    assert [(row, col) for row, col, _ in errors] == [(3, column)]
    assert words in errors[0][2]
    assert snapshot() == before


def test_a_duplicate_target_names_the_first_row(council):
    errors = errors_of(
        import_targets,
        content=csv_bytes(
            "code,year,target,period_end",
            "LPI HB01,2012/13,98,",
            "LPI HB01,2012/13,30,2012-06",
            "lpi hb01,2012-13,97,",
            "LPI HB01,2012/13,31,2012-06-30",
        ),
        filename="t.csv",
    )
    assert errors == [
        (4, "code", "LPI HB01 already has a target for 2012/13 on row 2."),
        (5, "code", "LPI HB01 already has a target for 2012-06 in 2012/13 on row 3."),
    ]


# Actuals ---------------------------------------------------------------------------------------

ACTUAL_HEADER = "code,period_end,value,state,commentary"


def actuals(*lines: str, header: str = ACTUAL_HEADER, **kwargs):
    return import_actuals(
        content=csv_bytes(header, *lines), filename="a.csv", today=TODAY, **kwargs
    )


def test_actuals_import_values_states_and_who_entered_them(council):
    officer = factories.UserFactory(username="claire")
    result = actuals(
        "NI 181,2012-08,11.2,verified,",
        "NI 181,2012-07,12.94,estimate,Two staff on long-term sick leave",
        "NI 181,2012-06,,awaited,DWP figures due on 20th",
        "LPI HB01,2012-06,97.5%,,",
        "LPI HB02,2012-03,,,Audit of the year not finished",
        entered_by=officer,
    )
    assert result.describe() == "5 rows read; 5 actuals created."
    figures = {
        (a.indicator.code, a.period.name): (a.value, a.state, a.commentary)
        for a in Actual.objects.select_related("indicator")
    }
    assert figures == {
        ("NI 181", "2012-08"): (D("11.2"), "verified", ""),
        ("NI 181", "2012-07"): (D("12.94"), "estimate", "Two staff on long-term sick leave"),
        ("NI 181", "2012-06"): (None, "awaited", "DWP figures due on 20th"),
        ("LPI HB01", "2012-06"): (D("97.5"), "verified", ""),
        ("LPI HB02", "2012-03"): (None, "awaited", "Audit of the year not finished"),
    }
    assert set(Actual.objects.values_list("entered_by__username", flat=True)) == {"claire"}


def test_reimporting_actuals_changes_nothing_not_even_who_entered_them(council):
    lines = ("NI 181,2012-08,11.2,verified,", "LPI HB01,2012-06,97.5,estimate,Provisional")
    actuals(*lines, entered_by=factories.UserFactory(username="first"))
    before = snapshot()
    result = actuals(*lines, entered_by=factories.UserFactory(username="second"))
    assert result.describe() == "2 rows read; nothing changed."
    assert snapshot() == before


def test_a_changed_figure_is_updated_and_records_who_changed_it(council):
    actuals("NI 181,2012-08,11.2,estimate,", "NI 181,2012-07,12,,")
    stamped = Actual.objects.get(period_end="2012-07-31").entered_at
    result = actuals(
        "NI 181,2012-08,11.3,verified,Checked",
        "NI 181,2012-07,12.0000,,",
        entered_by=factories.UserFactory(username="checker"),
    )
    assert result.describe() == "2 rows read; 1 actuals updated."
    august = Actual.objects.get(period_end="2012-08-31")
    assert (august.value, august.state, august.commentary) == (D("11.3"), "verified", "Checked")
    assert august.entered_by.username == "checker"
    july = Actual.objects.get(period_end="2012-07-31")
    assert july.entered_by is None and july.entered_at == stamped


def test_the_forecast_column_is_optional_and_kept_when_absent(council):
    actuals("NI 181,2012-08,11.2,,,10.5", header=ACTUAL_HEADER + ",forecast")
    assert Actual.objects.get().forecast_outturn == D("10.5")
    result = actuals("NI 181,2012-08,11.2,,")
    assert not result.changed_anything
    assert Actual.objects.get().forecast_outturn == D("10.5")
    actuals("NI 181,2012-08,11.2,,,", header=ACTUAL_HEADER + ",forecast")
    assert Actual.objects.get().forecast_outturn is None


def test_a_figure_can_go_back_to_awaited(council):
    actuals("NI 181,2012-08,11.2,,")
    actuals("NI 181,2012-08,,awaited,Figure withdrawn: system error")
    august = Actual.objects.get()
    assert (august.value, august.state) == (None, "awaited")


@pytest.mark.parametrize(
    ("line", "column", "words"),
    [
        ("NI 999,2012-08,5,,", "code", "'NI 999' is not an indicator"),
        ("NI 181,2012-08,five,,", "value", "'five' is not a number"),
        ("NI 181,2012-08,12 days,,", "value", "is not a number"),
        ("NI 181,2012-08,NaN,,", "value", "is not a number"),
        ("NI 181,2012-08,1e20,,", "value", "too large"),
        ("NI 181,August,5,,", "period_end", "'August' is not a period"),
        ("NI 181,2012-08-15,5,,", "period_end", "is not a period end"),
        ("LPI HB01,2012-08,5,,", "period_end", "does not end a quarterly period of LPI HB01"),
        ("LPI HB02,2012-09,5,,", "period_end", "does not end a annual period"),
        ("NI 181,2013-05,5,,", "period_end", "2013-05 has not ended yet"),
        ("NI 181,2012-08,5,final,", "state", "'final' is not a data state"),
        ("NI 181,2012-08,5,awaited,", "value", "an awaited figure has no value"),
        ("NI 181,2012-08,,verified,", "value", "a value is required for an verified figure"),
        ("NI 181,2012-08,,estimate,", "value", "a value is required"),
    ],
)
def test_a_bad_actual_row_is_refused_by_row_and_column(council, line, column, words):
    actuals("NI 181,2012-07,12,,")
    before = snapshot()
    with pytest.raises(ImportRejected) as refusal:
        actuals("NI 181,2012-07,13,,Changed", line)
    errors = refusal.value.errors
    assert [(e.row, e.column) for e in errors] == [(3, column)]
    assert words in errors[0].message
    assert snapshot() == before


def test_the_quarterly_error_lists_the_period_ends(council):
    with pytest.raises(ImportRejected, match="they end 2012-06, 2012-09, 2012-12, 2013-03"):
        actuals("LPI HB01,2012-08,5,,")


def test_a_duplicate_figure_names_the_first_row(council):
    with pytest.raises(ImportRejected) as refusal:
        actuals("NI 181,2012-08,5,,", "LPI HB01,2012-06,5,,", "ni 181,2012-08-31,6,,")
    assert str(refusal.value) == (
        "Row 4, column period_end: NI 181 already has a figure for 2012-08 on row 2."
    )


def test_figures_outside_the_years_an_indicator_is_reported_are_refused(council):
    Indicator.objects.filter(code="NI 181").update(first_year=2012, last_year=2012)
    with pytest.raises(ImportRejected) as refusal:
        actuals("NI 181,2012-03,5,,", "NI 181,2013-04,5,,", "NI 181,2012-04,5,,")
    assert str(refusal.value) == (
        "Row 2, column period_end: NI 181 is reported from 2012/13.\n"
        "Row 3, column period_end: NI 181 was retired after 2012/13."
    )


def test_every_bad_row_is_reported_at_once(council):
    with pytest.raises(ImportRejected) as refusal:
        actuals(
            "NI 181,2012-08,5,,",
            "NI 999,2012-08,x,,",
            "LPI HB01,2012-07,,verified,",
        )
    assert [(e.row, e.column) for e in refusal.value.errors] == [
        (3, "code"),
        (3, "value"),
        (4, "period_end"),
        (4, "value"),
    ]
    assert Actual.objects.count() == 0


def test_actuals_from_xlsx_with_date_and_number_cells(council):
    rows = [
        ACTUAL_HEADER.split(","),
        ["NI 181", datetime.datetime(2012, 8, 1), 11.25, "verified", None],
        ["LPI HB01", datetime.date(2012, 6, 30), 97, None, "On track"],
        ["NI 181", "2012-07", 1e-05, "estimate", None],
    ]
    result = import_actuals(content=xlsx_bytes(rows), filename="a.xlsx", today=TODAY)
    assert result.created["actuals"] == 3
    assert sorted(Actual.objects.values_list("period_end", "value")) == [
        (datetime.date(2012, 6, 30), D(97)),
        (datetime.date(2012, 7, 31), D("0.0000")),
        (datetime.date(2012, 8, 31), D("11.25")),
    ]


def test_a_header_without_rows_is_refused(council):
    with pytest.raises(ImportRejected, match="no figures"):
        actuals()


@pytest.mark.parametrize("size", [3, 60])
def test_actuals_import_takes_the_same_queries_however_long_the_file(
    council, size, django_assert_num_queries
):
    service = council["monthly"].service
    extra = factories.IndicatorFactory.create_batch(20, service=service, frequency="monthly")
    lines = [
        f"{indicator.code},{month},{n}.5,,"
        for n, (indicator, month) in enumerate(
            (indicator, month) for indicator in extra for month in ("2012-04", "2012-05", "2012-06")
        )
    ][:size]
    # indicators, targets and profiled targets (to check the commentary rule), existing
    # actuals, savepoint, upsert, then the history: lock the services, read their sign-offs,
    # insert the changes; release. Twice: new rows then updates. Unchanged: no history.
    with django_assert_num_queries(10):
        actuals(*lines)
    changed = [line.replace(".5,", ".75,") for line in lines]
    with django_assert_num_queries(10):
        result = actuals(*changed)
    assert result.changed["actuals"] == size
    with django_assert_num_queries(6):
        actuals(*changed)


@pytest.mark.parametrize("size", [2, 40])
def test_indicator_and_target_imports_take_the_same_queries_however_long_the_file(
    council, size, django_assert_num_queries
):
    lines = [f"X{n},Indicator {n},Housing Benefits,%,higher,quarterly,,,," for n in range(size)]
    # services, indicators, savepoint, insert, release
    with django_assert_num_queries(5):
        import_indicators(content=csv_bytes(INDICATOR_HEADER, *lines), filename="i.csv")
    targets = [f"X{n},2012/13,{n},{p}" for n in range(size) for p in ("", "2012-06")]
    # indicators, years, existing targets, savepoint, upsert targets, their pks,
    # existing profiles, upsert profiles, release
    with django_assert_num_queries(9):
        import_targets(content=csv_bytes("code,year,target,period_end", *targets), filename="t.csv")
    assert PeriodTarget.objects.count() == size


# Commands --------------------------------------------------------------------------------------


def test_commands_import_and_report(council, tmp_path):
    factories.UserFactory(username="claire")
    files = {
        "indicators.csv": INDICATORS,
        "targets.csv": csv_bytes("code,year,target", "NI 181,2012/13,12"),
        "actuals.csv": csv_bytes(ACTUAL_HEADER, "NI 181,2012-08,11.2,,"),
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    out = io.StringIO()
    call_command("import_indicators", str(tmp_path / "indicators.csv"), stdout=out)
    call_command("import_targets", str(tmp_path / "targets.csv"), stdout=out)
    call_command(
        "import_actuals", str(tmp_path / "actuals.csv"), "--entered-by", "claire", stdout=out
    )
    assert out.getvalue().splitlines() == [
        "3 rows read; 2 performance indicators created, 1 performance indicators updated.",
        "1 row read; 1 targets created.",
        "1 row read; 1 actuals created.",
    ]
    assert Actual.objects.get().entered_by.username == "claire"


def test_commands_refuse_a_bad_file_with_row_and_column(council, tmp_path):
    bad = tmp_path / "actuals.csv"
    bad.write_bytes(csv_bytes(ACTUAL_HEADER, "NI 181,2012-08,lots,,"))
    with pytest.raises(CommandError, match="Row 2, column value: 'lots' is not a number"):
        call_command("import_actuals", str(bad))
    with pytest.raises(CommandError, match="no user 'nobody'"):
        call_command("import_actuals", str(bad), "--entered-by", "nobody")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_targets", str(tmp_path / "missing.csv"))
    assert Actual.objects.count() == 0
