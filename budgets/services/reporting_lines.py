"""The reporting lines import: columns reporting_line, services."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from budgets.models import Budget, ReportingLine, ReportingLineService, Saving, Staffing
from budgets.services.common import (
    NAME_LIMIT,
    REPORTING_LINE_COLUMNS,
    Claim,
    HolderKey,
    ImportResult,
    Lookups,
    budget_clash,
    clashes,
    key_of,
    saving_clash,
    span_label,
    suggestion,
)
from organisation import content_versions
from organisation.models import Service
from spreadsheets.problems import Problems
from spreadsheets.reader import read_import


@dataclass(frozen=True)
class _LineRow:
    row: int
    name: str
    services: tuple[Service, ...]


def import_reporting_lines(*, content: bytes, filename: str) -> ImportResult:
    """Create or update reporting lines: services the finance team reports as one line."""
    table = read_import(content, filename=filename, required=REPORTING_LINE_COLUMNS)
    with transaction.atomic():
        lookups = Lookups.load()
        rows = _validate_lines(table.rows, lookups)
        result = ImportResult(rows=len(rows))
        _write_lines(rows, result)
        # A plan page shows its service's resources, a reporting line's too.
        content_versions.council_content_changed()
    return result


def _validate_lines(raw_rows, lookups: Lookups) -> list[_LineRow]:
    problems = Problems()
    rows: list[_LineRow] = []
    seen_names: dict[str, int] = {}
    seen_services: dict[int, int] = {}
    for number, cells in raw_rows:
        found = len(problems)
        name = cells["reporting_line"]
        if not name:
            problems.add(number, "reporting_line", "a name is required.")
        elif problems.check_length(number, "reporting_line", name, NAME_LIMIT):
            if name.casefold() in lookups.services:
                problems.add(
                    number,
                    "reporting_line",
                    f"{name!r} is the name of a service; a reporting line needs its own name.",
                )
            elif name.casefold() in seen_names:
                problems.add(
                    number, "reporting_line", f"already given on row {seen_names[name.casefold()]}."
                )
                continue  # its services would only repeat the first row's problems
        seen_names.setdefault(name.casefold(), number)
        services = _line_services(problems, number, cells["services"], lookups)
        if len(services) < 2 and not any(e.column == "services" for e in problems.errors[found:]):
            problems.add(
                number,
                "services",
                "a reporting line covers two or more services, separated by ';'. "
                "A single service's figures are recorded on the service.",
            )
        heads = {service.head_of_service_id for service in services}
        if len(heads) > 1:
            problems.add(
                number,
                "services",
                "the services belong to different heads of service; a reporting line is a "
                "row of one head of service's tables.",
            )
        for service in services:
            if service.pk in seen_services:
                problems.add(
                    number,
                    "services",
                    f"{service.name!r} is already in the line on row "
                    f"{seen_services[service.pk]}; a service is in one line at most.",
                )
            seen_services.setdefault(service.pk, number)
        if len(problems) == found:
            rows.append(_LineRow(number, name, tuple(services)))
    # Checked on the good rows even when others are bad, so that every problem is listed at once.
    _line_membership_problems(problems, rows, lookups)
    problems.raise_if_any(len(rows), "reporting lines")
    return rows


def _line_services(problems: Problems, number: int, text: str, lookups: Lookups) -> list[Service]:
    """ "Private Housing; Social Housing" -> the services, each named once."""
    services: list[Service] = []
    for part in filter(None, (part.strip() for part in text.split(";"))):
        service = lookups.services.get(part.casefold())
        if service is None:
            problems.add(
                number,
                "services",
                f"no service is called {part!r}." + suggestion(part, lookups.services.values()),
            )
        elif service in services:
            problems.add(number, "services", f"{part!r} is listed twice.")
        else:
            services.append(service)
    return services


def _line_membership_problems(problems: Problems, rows: list[_LineRow], lookups: Lookups) -> None:
    """With the new memberships, a service must still be in one line at most, and no budget,
    staffing or saving already recorded may come to be counted twice."""
    row_of_line: dict[int, int] = {}  # line id (or -row for a new line) -> its row in the file
    members: dict[int, set[int]] = {}
    for row in rows:
        line = lookups.lines.get(row.name.casefold())
        line_id = line.pk if line else -row.row
        row_of_line[line_id] = row.row
        members[line_id] = {service.pk for service in row.services}
    found = len(problems)
    # Lines the file leaves alone keep their services.
    owner = {
        service_id: line_id
        for line_id, service_ids in lookups.members.items()
        if line_id not in row_of_line
        for service_id in service_ids
    }
    for line_id, service_ids in members.items():
        for service_id in sorted(service_ids & owner.keys()):
            problems.add(
                row_of_line[line_id],
                "services",
                f"{lookups.service_names[service_id]!r} is already in the reporting line "
                f"{lookups.name_of(('line', owner[service_id]))!r}; a service is in one "
                "line at most.",
            )
    if len(problems) > found:
        return

    def covers(key: HolderKey) -> set[int]:
        kind, pk = key
        return {pk} if kind == "service" else members.get(pk, set())

    services = set().union(*members.values())
    holders = Q(service_id__in=services) | Q(reporting_line_id__in=list(row_of_line))
    checks = [
        (Budget.objects.select_related("year"), "a budget", _year_span),
        (Staffing.objects.select_related("year"), "staffing", _year_span),
        (Saving.objects.all(), "savings", lambda f: (f.first_year_id, f.last_year_id)),
    ]
    for figures, what, span in checks:
        clash = saving_clash if figures.model is Saving else budget_clash
        claims = []
        for figure in figures.filter(holders):
            key = key_of(figure)
            # A line's figure is checked as if it came from the line's row in the file.
            row = row_of_line.get(key[1]) if key[0] == "line" else None
            claims.append(Claim(key, *span(figure), row=row))
        reported: set[int] = set()
        for claim, other in clashes(claims, covers, clash).items():
            if claim.row in reported:
                continue
            reported.add(claim.row)
            shared = sorted(lookups.service_names[s] for s in covers(claim.key) & covers(other.key))
            problems.add(
                claim.row,
                "services",
                f"{shared[0]!r} has {what} of its own for {span_label(other)} that the "
                f"line's figures for {span_label(claim)} would count again. Remove one of "
                "them first.",
            )


def _year_span(figure: Budget | Staffing) -> tuple[int, int]:
    return figure.year.start_year, figure.year.start_year


def _write_lines(rows: list[_LineRow], result: ImportResult) -> None:
    kind = ReportingLine._meta.verbose_name_plural
    member_kind = ReportingLineService._meta.verbose_name_plural
    additions = []
    # Every membership the file ends is removed before any is added, so that a service can
    # move from one line to another in the same file (a service is in one line at most).
    for row in rows:
        head = row.services[0].head_of_service
        line = ReportingLine.objects.filter(name__iexact=row.name).first()
        if line is None:
            line = ReportingLine.objects.create(name=row.name, head_of_service=head)
            result.created[kind] += 1
        elif line.head_of_service_id != head.pk or line.name != row.name:
            line.head_of_service, line.name = head, row.name
            line.save(update_fields=["head_of_service", "name"])
            result.changed[kind] += 1
        wanted = {service.pk for service in row.services}
        existing = set(line.memberships.values_list("service_id", flat=True))
        if existing - wanted:
            line.memberships.filter(service_id__in=existing - wanted).delete()
            result.removed[member_kind] += len(existing - wanted)
        additions += [
            ReportingLineService(reporting_line=line, service_id=service_id)
            for service_id in sorted(wanted - existing)
        ]
    if additions:
        ReportingLineService.objects.bulk_create(additions)
        result.created[member_kind] += len(additions)
