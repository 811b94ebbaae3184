"""Bulk import of people from a CSV or XLSX file: name, email, role, services (and optionally
head_of_service, the portfolio a head of service leads).

A person is found by their email address. Someone new is invited (organisation.users); someone
known gets the file's name, role and services (the file is the truth for the services of each
person it names; their portfolio changes only when the file has a head_of_service column).
People not in the file are left alone; nobody is deactivated by an import.

plan_user_import reads the file and says what would happen, writing nothing: the upload page
shows it for the administrator to confirm. import_users does it, refusing the whole file on any
problem (ImportRejected, every problem by row and column) and sending the invitations after the
transaction commits.
"""

import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from organisation.access import ADMINISTRATORS, HEADS_OF_SERVICE, MEMBERS, OFFICERS
from organisation.models import HeadOfService, ImportLog, Service
from organisation.users import (
    EMAIL_LIMIT,
    NAME_LIMIT,
    User,
    UserRefused,
    active_administrators,
    attach,
    invite_user,
    rename,
    role_label,
    role_of,
    send_invitation_on_commit,
    set_role,
    split_name,
)
from spreadsheets.cells import Vocabulary, code
from spreadsheets.problems import Problems
from spreadsheets.reader import ImportRejected, RowError, read_import
from spreadsheets.results import ImportResult

USER_COLUMNS = ("name", "email", "role", "services")
HEAD_OF_SERVICE_COLUMN = "head_of_service"
TEMPLATE_COLUMNS = (*USER_COLUMNS, HEAD_OF_SERVICE_COLUMN)

ROLES = Vocabulary(
    {
        "administrator": ADMINISTRATORS,
        "administrators": ADMINISTRATORS,
        "admin": ADMINISTRATORS,
        "head of service": HEADS_OF_SERVICE,
        "heads of service": HEADS_OF_SERVICE,
        "officer": OFFICERS,
        "officers": OFFICERS,
        "member": MEMBERS,
        "members": MEMBERS,
        "councillor": MEMBERS,
    },
    what="role",
    hint="use administrator, head of service, officer or member",
)


class ImportOutdated(Exception):
    """The people or services changed between the preview and the confirmation."""


@dataclass(frozen=True)
class Change:
    what: str
    old: str
    new: str


@dataclass
class PlannedPerson:
    row: int
    name: str
    email: str
    role: str
    services: list[Service]
    headships: list[HeadOfService] | None  # None: the file says nothing of portfolios
    user: object | None = None  # the existing account
    changes: list[Change] = field(default_factory=list)

    @property
    def action(self) -> str:
        if self.user is None:
            return "create"
        return "change" if self.changes else "leave"

    @property
    def role_label(self) -> str:
        return role_label(self.role)

    @property
    def service_names(self) -> str:
        return _names(self.services)


@dataclass
class UserImportPlan:
    people: list[PlannedPerson]

    @property
    def created(self) -> list[PlannedPerson]:
        return [person for person in self.people if person.action == "create"]

    @property
    def changed(self) -> list[PlannedPerson]:
        return [person for person in self.people if person.action == "change"]

    @property
    def left_alone(self) -> list[PlannedPerson]:
        return [person for person in self.people if person.action == "leave"]

    def fingerprint(self) -> str:
        """Stands for what the import would do: the confirmation is refused if it differs."""
        text = repr(
            [
                (p.row, p.email, p.action, [(c.what, c.old, c.new) for c in p.changes])
                for p in self.people
            ]
        )
        return hashlib.sha256(text.encode()).hexdigest()


def plan_user_import(*, content: bytes, filename: str) -> UserImportPlan:
    """What importing the file would do; ImportRejected with every problem otherwise."""
    table = read_import(content, filename=filename, required=USER_COLUMNS)
    with_headships = HEAD_OF_SERVICE_COLUMN in table.columns
    services = _by_name_and_code(Service.objects.all())
    portfolios = {code(head.name).casefold(): head for head in HeadOfService.objects.all()}
    people = {
        person.email.casefold(): person
        for person in User.objects.exclude(email="").prefetch_related(
            "groups", "edited_services", "headships"
        )
    }
    problems = Problems()
    planned: list[PlannedPerson] = []
    seen_emails: dict[str, int] = {}
    portfolio_rows: dict[int, int] = {}
    for number, cells in table.rows:
        found = len(problems)
        name = " ".join(cells["name"].split())
        email = cells["email"].strip().lower()
        if not name:
            problems.add(number, "name", "a name is required.")
        elif any(len(part) > NAME_LIMIT for part in split_name(name)):
            problems.add(number, "name", f"longer than {NAME_LIMIT} characters.")
        if not email:
            problems.add(number, "email", "an email address is required.")
        elif problems.check_length(number, "email", email, EMAIL_LIMIT):
            try:
                validate_email(email)
            except ValidationError:
                problems.add(number, "email", f"{email!r} is not an email address.")
            else:
                if email in seen_emails:
                    problems.add(
                        number, "email", f"{email} is already listed on row {seen_emails[email]}."
                    )
                seen_emails.setdefault(email, number)
        role = None
        if cells["role"]:
            role = problems.read(number, "role", ROLES, cells["role"])
        else:
            problems.add(number, "role", f"a role is required; {ROLES.hint}.")
        chosen_services = _read_services(problems, number, cells["services"], services)
        if role == MEMBERS and chosen_services:
            problems.add(number, "services", "a member edits no service; leave it empty.")
        headships = None
        if with_headships:
            headships = []
            text = code(cells[HEAD_OF_SERVICE_COLUMN])
            if text:
                head = portfolios.get(text.casefold())
                if head is None:
                    problems.add(
                        number, HEAD_OF_SERVICE_COLUMN, f"{text!r} is not a head of service."
                    )
                elif role not in (HEADS_OF_SERVICE, None):
                    problems.add(
                        number,
                        HEAD_OF_SERVICE_COLUMN,
                        "only a head of service leads a portfolio; give the role "
                        "'head of service' or leave it empty.",
                    )
                elif head.pk in portfolio_rows:
                    problems.add(
                        number,
                        HEAD_OF_SERVICE_COLUMN,
                        f"{head.name!r} is already given to row {portfolio_rows[head.pk]}.",
                    )
                else:
                    portfolio_rows[head.pk] = number
                    headships.append(head)
        if len(problems) > found:
            continue
        user = people.get(email)
        person = PlannedPerson(
            row=number,
            name=name,
            email=email,
            role=role,
            services=chosen_services,
            headships=headships,
            user=user,
        )
        if user is not None:
            person.changes = _changes(user, person)
        planned.append(person)
    plan = UserImportPlan(people=planned)
    if not problems:
        _check_an_administrator_remains(problems, plan)
    problems.raise_if_any(len(table.rows), "people")
    return plan


def _by_name_and_code(services) -> dict[str, Service]:
    found: dict[str, Service] = {}
    for service in services:
        found[code(service.name).casefold()] = service
        if service.code:
            found.setdefault(code(service.code).casefold(), service)
    return found


def _read_services(
    problems: Problems, number: int, text: str, services: dict[str, Service]
) -> list[Service]:
    chosen: list[Service] = []
    for item in filter(None, (code(part) for part in text.split(";"))):
        service = services.get(item.casefold())
        if service is None:
            problems.add(number, "services", f"{item!r} is not a service's name or code.")
        elif service in chosen:
            problems.add(number, "services", f"{service.name!r} is listed twice.")
        else:
            chosen.append(service)
    return sorted(chosen, key=lambda service: service.name)


def _names(things) -> str:
    return "; ".join(sorted(thing.name for thing in things)) or "none"


def _changes(user, person: PlannedPerson) -> list[Change]:
    changes = []
    old_name = user.get_full_name()
    if old_name != person.name:
        changes.append(Change("name", old_name, person.name))
    old_role = role_of(user)
    if old_role != person.role:
        changes.append(Change("role", role_label(old_role), role_label(person.role)))
    old_services = _names(user.edited_services.all())
    if old_services != _names(person.services):
        changes.append(Change("services", old_services, _names(person.services)))
    if person.headships is not None:
        old_heads = _names(user.headships.all())
        if old_heads != _names(person.headships):
            changes.append(Change("head of service", old_heads, _names(person.headships)))
    return changes


def _check_an_administrator_remains(problems: Problems, plan: UserImportPlan) -> None:
    demoted = {
        person.user.pk: person
        for person in plan.people
        if person.user is not None and person.role != ADMINISTRATORS
    }
    promoted = [
        person
        for person in plan.people
        if person.role == ADMINISTRATORS and (person.user is None or person.user.is_active)
    ]
    remaining = active_administrators().exclude(pk__in=list(demoted)).exists()
    if demoted and not remaining and not promoted:
        first = min(demoted.values(), key=lambda person: person.row)
        problems.add(first.row, "role", "this would leave no active administrator; keep one.")


def import_users(
    *, content: bytes, filename: str, by=None, expected: str | None = None
) -> ImportResult:
    """Invite the new people in the file and bring the known ones up to date, all or nothing.
    With `expected` (the fingerprint of the preview the administrator confirmed), refuse with
    ImportOutdated if the import would now do something else."""
    with transaction.atomic():
        plan = plan_user_import(content=content, filename=filename)
        if expected is not None and plan.fingerprint() != expected:
            raise ImportOutdated
        result = ImportResult(rows=len(plan.people))
        for person in plan.people:
            _write(person, by, result)
        ImportLog.objects.create(
            kind="users",
            filename=filename[:255],
            by=by,
            rows=result.rows,
            summary=result.describe(),
        )
    return result


def _write(person: PlannedPerson, by, result: ImportResult) -> None:
    if person.user is None:
        user = invite_user(
            name=person.name,
            email=person.email,
            role=person.role,
            services=person.services,
            head_of_service=(person.headships or [None])[0],
            by=by,
            send=False,
        )
        send_invitation_on_commit(user, by=by)
        result.created["people"] += 1
        return
    if not person.changes:
        return
    user = person.user
    try:
        rename(user=user, name=person.name, by=by)
        set_role(user=user, role=person.role, by=by)
        headships = user.headships.all() if person.headships is None else person.headships
        attach(user=user, services=person.services, headships=list(headships), by=by)
    except UserRefused as error:  # a rule the preview did not foresee
        raise ImportRejected([RowError(person.row, "", str(error))]) from error
    result.changed["people"] += 1
