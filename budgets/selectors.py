"""Reads for screens and reports: a head of service's budget, staffing and savings tables, the
resources of one service, and budget risks.

The tables are the ones in the committee summary of service plans (the Sevenoaks 2012/13 summary):
Part 2a staff,
Part 2b the three-year budget, Part 2c the savings plan, Part 3c budget risks. Every total is
added up here from the rows; nothing stored is a total.

Rows: one per service of the head of service, in name order. A reporting line (figures the
finance team keeps for several services together, e.g. "Private & Social Housing") gets its own
row when it has figures in the table, and then stands in for its services: a member service
appears on its own only if it also has figures of its own in that table. So the budget table of
Finance & HR lists Housing Benefits and Revenues, while its savings table, where the savings are
kept for "Revenues & Benefits", lists that line instead, as the council's papers do.

Each table takes the same small number of queries however many services there are.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Max, Min, Q

from budgets.display import MONEY_UNIT, with_unit
from budgets.models import (
    Budget,
    BudgetRisk,
    ReportingLine,
    ReportingLineService,
    Saving,
    Staffing,
)
from organisation.models import FinancialYear, HeadOfService, Service

TOTAL_LABEL = "TOTAL"


@dataclass(frozen=True)
class Column:
    """One column of figures: a financial year, or several years shown together ("2008-10")."""

    label: str
    first_year: int
    last_year: int
    is_forecast: bool = False

    @property
    def is_span(self) -> bool:
        return self.first_year != self.last_year

    def covers(self, first_year: int, last_year: int) -> bool:
        return self.first_year <= first_year and last_year <= self.last_year

    def overlaps(self, first_year: int, last_year: int) -> bool:
        return first_year <= self.last_year and self.first_year <= last_year


@dataclass(frozen=True)
class Cell:
    """None is "no figure" (printed "-"), which is not the same as a figure of 0."""

    value: Decimal | None = None
    is_forecast: bool = False
    statuses: frozenset[str] = frozenset()  # savings: the delivery statuses of the cell's lines

    @property
    def is_empty(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]
    services: tuple[Service, ...] = ()  # the services the row's figures cover
    reporting_line_id: int | None = None
    is_total: bool = False

    @property
    def change(self) -> Decimal | None:
        """Last column less the one before: the direction of travel of a budget."""
        if len(self.cells) < 2 or self.cells[-1].is_empty or self.cells[-2].is_empty:
            return None
        return self.cells[-1].value - self.cells[-2].value

    @property
    def direction(self) -> str | None:
        change = self.change
        if change is None:
            return None
        if change > 0:
            return "increase"
        if change < 0:
            return "decrease"
        return "no change"


@dataclass(frozen=True)
class FigureTable:
    head_of_service: HeadOfService
    caption: str
    unit: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    total: Row
    # Savings whose span cuts across the table's columns, so that no cell can hold them. They
    # are left out of the cells and the totals, and listed here so a report can say so rather
    # than lose money silently.
    unplaced: tuple[Saving, ...] = ()
    page: int = 1
    page_count: int = 1

    @property
    def caption_with_unit(self) -> str:
        return with_unit(self.caption, self.unit) if self.unit else self.caption

    def pages(self, *, rows_per_page: int) -> tuple["FigureTable", ...]:
        """Split the table over pages, as the council's summary does for a long portfolio.

        Each page but the last ends with a TOTAL of its own rows; the last page ends with the
        total of the whole head of service, labelled with its name ("Legal & Democratic
        Services Total"), so the reader never adds up across pages.
        """
        if rows_per_page < 1:
            raise ValueError("A page holds at least one row.")
        chunks = [
            self.rows[start : start + rows_per_page]
            for start in range(0, len(self.rows), rows_per_page)
        ] or [()]
        if len(chunks) == 1:
            return (self,)
        return tuple(
            self._part(rows, part=number, parts=len(chunks))
            for number, rows in enumerate(chunks, start=1)
        )

    def part_for(self, services: set[int], *, part: int, parts: int) -> "FigureTable":
        """The rows of the services of one part of a continued summary (a reporting line's row
        goes where its first service is), totalled like a page of `pages`."""
        if parts == 1:
            return self
        rows = tuple(row for row in self.rows if row.services and row.services[0].pk in services)
        return self._part(rows, part=part, parts=parts)

    def _part(self, rows: tuple[Row, ...], *, part: int, parts: int) -> "FigureTable":
        if part == parts:
            total = replace(self.total, label=f"{self.head_of_service.name} Total")
        else:
            total = _total_row(rows, len(self.columns))
        return replace(self, rows=rows, total=total, page=part, page_count=parts)


@dataclass(frozen=True)
class _Figure:
    """A figure on its way into a table, with the row and column it belongs to."""

    service: Service | None
    reporting_line: ReportingLine | None
    column: int
    value: Decimal
    is_forecast: bool = False
    status: str | None = None


@dataclass
class _Holder:
    label: str
    services: tuple[Service, ...]
    reporting_line_id: int | None = None
    figures: list[_Figure] = field(default_factory=list)


def budget_table(
    *,
    head_of_service: HeadOfService,
    year: FinancialYear,
    years_back: int = 2,
    years_ahead: int = 0,
) -> FigureTable:
    """Net budgets by service over several years (£000), with a TOTAL row.

    The defaults give Part 2b: the year and the two before it, showing the direction of travel.
    With `years_ahead` it is the medium-term financial plan; forecast figures are flagged on
    their cells, and a column of forecasts only is headed "Forecast" rather than "Budget".
    """
    starts = list(range(year.start_year - years_back, year.start_year + years_ahead + 1))
    budgets = (
        Budget.objects.filter(_held_under(head_of_service), year__start_year__in=starts)
        .select_related("year", "service", "reporting_line")
        .order_by()
    )
    return _budget_table(head_of_service, starts, years_ahead, budgets)


def _budget_table(head_of_service, starts, years_ahead, budgets, structure=None) -> FigureTable:
    figures = [
        _Figure(
            budget.service,
            budget.reporting_line,
            starts.index(budget.year.start_year),
            budget.net_budget,
            is_forecast=budget.is_forecast,
        )
        for budget in budgets
    ]
    # A column is headed "Forecast" when all its figures are; a forecast among approved budgets
    # is flagged on its own cell instead.
    forecast_columns = {figure.column for figure in figures if figure.is_forecast} - {
        figure.column for figure in figures if not figure.is_forecast
    }
    columns = tuple(
        Column(
            label=f"{'Forecast' if index in forecast_columns else 'Budget'} {_label(start)}",
            first_year=start,
            last_year=start,
            is_forecast=index in forecast_columns,
        )
        for index, start in enumerate(starts)
    )
    caption = (
        f"Medium-term financial plan {_label(starts[0])} to {_label(starts[-1])}"
        if years_ahead
        else f"{_label(starts[-1])} Budget"
    )
    return _table(head_of_service, caption, MONEY_UNIT, columns, figures, structure)


def staffing_table(
    *, head_of_service: HeadOfService, year: FinancialYear, years_back: int = 2
) -> FigureTable:
    """Full-time equivalent staff by service for the year and the years before it (Part 2a)."""
    starts = list(range(year.start_year - years_back, year.start_year + 1))
    staffing = (
        Staffing.objects.filter(_held_under(head_of_service), year__start_year__in=starts)
        .select_related("year", "service", "reporting_line")
        .order_by()
    )
    return _staffing_table(head_of_service, starts, staffing)


def _staffing_table(head_of_service, starts, staffing, structure=None) -> FigureTable:
    figures = [
        _Figure(item.service, item.reporting_line, starts.index(item.year.start_year), item.fte)
        for item in staffing
    ]
    columns = tuple(Column(_label(start), start, start) for start in starts)
    caption = "Staff (full-time equivalent employees)"
    return _table(head_of_service, caption, "", columns, figures, structure)


def savings_columns(
    *,
    year: FinancialYear,
    grouped_years: tuple[int, int] | None = None,
    grouped_label: str | None = None,
    years_back: int = 1,
    years_ahead: int = 2,
) -> tuple[Column, ...]:
    """The columns of a savings plan: optionally one for several past years, then single years.

    The 2012/13 summary groups 2008/09-2009/10 into "2008 - 10" and then shows the four-year
    savings plan 2011/12 to 2014/15: grouped_years=(2008, 2009), years_back=1, years_ahead=2.
    `grouped_years` are start years; the label defaults to "2008/09 to 2009/10".
    """
    first_single = year.start_year - years_back
    columns = []
    if grouped_years is not None:
        first, last = grouped_years
        if last < first:
            raise ValueError(f"The grouped years {first}-{last} are reversed.")
        if last >= first_single:
            raise ValueError(
                f"The grouped years must end before the first single year, {_label(first_single)}."
            )
        label = grouped_label or (
            _label(first) if first == last else f"{_label(first)} to {_label(last)}"
        )
        columns.append(Column(label, first, last))
    columns += [
        Column(_label(start), start, start)
        for start in range(first_single, year.start_year + years_ahead + 1)
    ]
    return tuple(columns)


def savings_grouped_years(*, year: FinancialYear, years_back: int = 1) -> tuple[int, int]:
    """The past years a savings plan groups into one column when nobody chooses them: the
    years the council's own savings of the recent past cover, so that a span it recorded
    (2020/21 to 2022/23) fits the column and counts in the TOTAL rather than being left to a
    footnote. Start years, as `savings_columns` takes them.

    The recent past is the three years before the first single year; every saving that ends in
    them counts, from its first year. With none, the column holds the first two of those years:
    2008/09 to 2009/10 for the 2012/13 plans, as in the Sevenoaks summary. One query, over the
    whole council, so that every head of service's table has the same columns.
    """
    first_single = year.start_year - years_back
    default = (first_single - 3, first_single - 2)
    recent = Saving.objects.filter(
        last_year_id__gte=default[0], last_year_id__lt=first_single
    ).aggregate(first=Min("first_year_id"), last=Max("last_year_id"))
    if recent["first"] is None:
        return default
    return recent["first"], recent["last"]


def savings_plan_table(
    *,
    head_of_service: HeadOfService,
    year: FinancialYear,
    grouped_years: tuple[int, int] | None = None,
    grouped_label: str | None = None,
    years_back: int = 1,
    years_ahead: int = 2,
) -> FigureTable:
    """The savings plan by service (£000), with a TOTAL row (Part 2c).

    A saving lands in the column that contains all of its years: one for 2008/09 to 2009/10
    in the grouped column "2008 - 10". Savings of every delivery status count, as in the
    council's plan; each cell carries the statuses of its savings so a screen can flag those at
    risk. See `savings_columns` for the columns.
    """
    columns = savings_columns(
        year=year,
        grouped_years=grouped_years,
        grouped_label=grouped_label,
        years_back=years_back,
        years_ahead=years_ahead,
    )
    savings = (
        Saving.objects.filter(
            _held_under(head_of_service),
            first_year_id__lte=columns[-1].last_year,
            last_year_id__gte=columns[0].first_year,
        )
        .select_related("service", "reporting_line")
        .order_by()
    )
    return _savings_table(head_of_service, columns, savings)


def _savings_table(head_of_service, columns, savings, structure=None) -> FigureTable:
    figures, unplaced = [], []
    for saving in savings:
        span = (saving.first_year_id, saving.last_year_id)
        index = next((i for i, column in enumerate(columns) if column.covers(*span)), None)
        if index is not None:
            figures.append(
                _Figure(
                    saving.service,
                    saving.reporting_line,
                    index,
                    saving.amount,
                    status=saving.status,
                )
            )
        elif any(column.overlaps(*span) for column in columns):
            unplaced.append(saving)
    table = _table(head_of_service, "Savings Plan", MONEY_UNIT, columns, figures, structure)
    return replace(table, unplaced=tuple(sorted(unplaced, key=lambda s: (s.first_year_id, s.pk))))


@dataclass(frozen=True)
class ServiceResources:
    """What one service's plan says about its resources for a year (a council's plan template:
    "Service Area
    Resources: sets out available staffing and budget")."""

    service: Service
    year: FinancialYear
    reporting_line: ReportingLine | None
    budget: Budget | None
    staffing: Staffing | None
    savings: tuple[Saving, ...]

    @property
    def budget_is_for_reporting_line(self) -> bool:
        """The figure is the reporting line's, covering other services too: say so."""
        return self.budget is not None and self.budget.reporting_line_id is not None

    @property
    def savings_total(self) -> Decimal | None:
        return sum((s.amount for s in self.savings), Decimal(0)) if self.savings else None


def service_resources(*, service: Service, year: FinancialYear) -> ServiceResources:
    """The service's budget, staff and savings for the year.

    Where the finance team keeps a figure only for the service's reporting line, that figure is
    given (and flagged) rather than nothing: the plan of Private Housing shows the budget of
    Private & Social Housing.
    """
    membership = (
        ReportingLineService.objects.filter(service=service)
        .select_related("reporting_line")
        .first()
    )
    line = membership.reporting_line if membership else None
    holders = Q(service=service) | Q(reporting_line=line) if line else Q(service=service)

    def own_first(items):
        return min(items, key=lambda item: item.service_id is None, default=None)

    budget = own_first(Budget.objects.filter(holders, year=year).select_related("reporting_line"))
    staffing = own_first(
        Staffing.objects.filter(holders, year=year).select_related("reporting_line")
    )
    savings = tuple(
        Saving.objects.filter(
            holders, first_year_id__lte=year.start_year, last_year_id__gte=year.start_year
        ).select_related("reporting_line")
    )
    return ServiceResources(service, year, line, budget, staffing, savings)


@dataclass(frozen=True)
class BudgetRisks:
    head_of_service: HeadOfService
    year: FinancialYear
    risks: tuple[BudgetRisk, ...]

    @property
    def no_risks_sentence(self) -> str:
        """What Part 3c says when there is nothing to report."""
        return no_budget_risks_sentence([self.head_of_service.name])


def budget_risks(*, head_of_service: HeadOfService, year: FinancialYear) -> BudgetRisks:
    """The budget risks a head of service reports for the year, in their order (Part 3c)."""
    risks = BudgetRisk.objects.filter(head_of_service=head_of_service, year=year).order_by(
        "position", "id"
    )
    return BudgetRisks(head_of_service, year, tuple(risks))


def no_budget_risks_sentence(names: Sequence[str]) -> str:
    """The Sevenoaks summary's sentence, for a portfolio or for the services on a continuation page:
    "There are currently no significant budget risks in Policy & Performance or Property
    Services." """
    names = [name for name in names if name]
    if not names:
        raise ValueError("Name the head of service or services the sentence is about.")
    subject = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return f"There are currently no significant budget risks in {subject}."


def _held_under(head_of_service: HeadOfService) -> Q:
    return Q(service__head_of_service=head_of_service) | Q(
        reporting_line__head_of_service=head_of_service
    )


def _label(start_year: int) -> str:
    # An unsaved FinancialYear: the label comes from plans, without a query.
    return FinancialYear(start_year=start_year).label


@dataclass(frozen=True)
class _Structure:
    """The services of some heads of service (in name order) and the services of their
    reporting lines, read once for all their tables: two queries."""

    services: dict[int, list[Service]]  # by head of service id
    members: dict[int, list[Service]]  # by reporting line id

    @classmethod
    def of(cls, head_ids: Iterable[int]) -> "_Structure":
        head_ids = list(head_ids)
        services: dict[int, list[Service]] = defaultdict(list)
        for service in Service.objects.filter(head_of_service__in=head_ids).order_by("name"):
            services[service.head_of_service_id].append(service)
        members: dict[int, list[Service]] = defaultdict(list)
        for membership in ReportingLineService.objects.filter(
            reporting_line__head_of_service__in=head_ids
        ).select_related("service"):
            members[membership.reporting_line_id].append(membership.service)
        return cls(services, members)


@dataclass(frozen=True)
class PortfolioTables:
    """A head of service's Part 2 tables for a year, as budget_table, staffing_table and
    savings_plan_table give them with their defaults."""

    head_of_service: HeadOfService
    staffing: FigureTable
    budget: FigureTable
    savings: FigureTable


def portfolio_tables(
    *, heads_of_service: Iterable[HeadOfService], year: FinancialYear
) -> list[PortfolioTables]:
    """The staffing, budget and savings tables of many heads of service, each the same as the
    single-table functions give (default columns), in the order given: five queries however
    many heads of service (the open data)."""
    heads = list(heads_of_service)
    if not heads:
        return []
    ids = [head.pk for head in heads]
    held = Q(service__head_of_service__in=ids) | Q(reporting_line__head_of_service__in=ids)
    structure = _Structure.of(ids)
    budget_starts = list(range(year.start_year - 2, year.start_year + 1))
    savings_cols = savings_columns(year=year)
    related = ("service", "reporting_line")
    budgets = _by_head(
        Budget.objects.filter(held, year__start_year__in=budget_starts)
        .select_related("year", *related)
        .order_by()
    )
    staffing = _by_head(
        Staffing.objects.filter(held, year__start_year__in=budget_starts)
        .select_related("year", *related)
        .order_by()
    )
    savings = _by_head(
        Saving.objects.filter(
            held,
            first_year_id__lte=savings_cols[-1].last_year,
            last_year_id__gte=savings_cols[0].first_year,
        )
        .select_related(*related)
        .order_by()
    )
    return [
        PortfolioTables(
            head,
            staffing=_staffing_table(head, budget_starts, staffing[head.pk], structure),
            budget=_budget_table(head, budget_starts, 0, budgets[head.pk], structure),
            savings=_savings_table(head, savings_cols, savings[head.pk], structure),
        )
        for head in heads
    ]


def _by_head(figures) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for figure in figures:
        holder = figure.service or figure.reporting_line
        grouped[holder.head_of_service_id].append(figure)
    return grouped


def _table(
    head_of_service: HeadOfService,
    caption: str,
    unit: str,
    columns: tuple[Column, ...],
    figures: Iterable[_Figure],
    structure: _Structure | None = None,
) -> FigureTable:
    structure = structure or _Structure.of([head_of_service.pk])
    services = structure.services[head_of_service.pk]
    members = structure.members

    holders: dict[tuple[str, int], _Holder] = {
        ("service", service.pk): _Holder(service.name, (service,)) for service in services
    }
    for figure in figures:
        if figure.reporting_line is not None:
            line = figure.reporting_line
            key = ("line", line.pk)
            if key not in holders:
                line_services = tuple(sorted(members[line.pk], key=lambda s: s.name))
                holders[key] = _Holder(line.name, line_services, reporting_line_id=line.pk)
        else:
            key = ("service", figure.service.pk)
            holders.setdefault(key, _Holder(figure.service.name, (figure.service,)))
        holders[key].figures.append(figure)

    # A line with figures stands in for its services, unless they have figures of their own.
    covered = {
        service.pk
        for holder in holders.values()
        if holder.reporting_line_id is not None
        for service in holder.services
    }
    rows = [
        _row(holder, len(columns))
        for (kind, pk), holder in holders.items()
        if kind == "line" or pk not in covered or holder.figures
    ]
    rows.sort(key=lambda row: row.label.casefold())
    return FigureTable(
        head_of_service=head_of_service,
        caption=caption,
        unit=unit,
        columns=columns,
        rows=tuple(rows),
        total=_total_row(rows, len(columns)),
    )


def _row(holder: _Holder, width: int) -> Row:
    by_column: dict[int, list[_Figure]] = defaultdict(list)
    for figure in holder.figures:
        by_column[figure.column].append(figure)
    cells = tuple(_cell(by_column.get(index, [])) for index in range(width))
    return Row(holder.label, cells, holder.services, holder.reporting_line_id)


def _cell(figures: Sequence[_Figure]) -> Cell:
    if not figures:
        return Cell()
    return Cell(
        value=sum((figure.value for figure in figures), Decimal(0)),
        is_forecast=any(figure.is_forecast for figure in figures),
        statuses=frozenset(figure.status for figure in figures if figure.status),
    )


def _total_row(rows: Sequence[Row], width: int) -> Row:
    cells = []
    for index in range(width):
        filled = [row.cells[index] for row in rows if not row.cells[index].is_empty]
        cells.append(
            Cell(
                value=sum((cell.value for cell in filled), Decimal(0)),
                is_forecast=any(cell.is_forecast for cell in filled),
                statuses=frozenset().union(*(cell.statuses for cell in filled)),
            )
            if filled
            else Cell()
        )
    return Row(TOTAL_LABEL, tuple(cells), is_total=True)
