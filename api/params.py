"""Reading the API's query parameters and path parts. Bad input is refused with a message that
names the parameter and what it should be (400); a year, code or reference that names nothing is
a 404 that says what was not found."""

from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request

from organisation.models import FinancialYear, Priority
from performance import periods
from performance.selectors import latest_reported_month

SERVICE = OpenApiParameter("service", str, description="A service's code, e.g. LIC.")
HEAD_OF_SERVICE = OpenApiParameter("head_of_service", int, description="A head of service's id.")
COMMITTEE = OpenApiParameter("committee", int, description="A committee's id.")
PRIORITY = OpenApiParameter("priority", str, description="A corporate priority's code, e.g. P3.")
YEAR = OpenApiParameter(
    "year", int, description="The financial year by the calendar year it starts: 2012 = 2012/13."
)
YEAR_IN_PATH = OpenApiParameter(
    "year",
    int,
    OpenApiParameter.PATH,
    description="The financial year by the calendar year it starts: 2012 = 2012/13.",
)
AS_AT = OpenApiParameter(
    "as_at",
    OpenApiTypes.STR,
    description="The month (YYYY-MM) of the year to read as at; "
    "by default the latest with a figure.",
)


# The largest id a database column holds (a signed 64-bit integer): a larger "id" names nothing.
LARGEST_ID = 2**63 - 1


def whole_number(request: Request, name: str) -> int | None:
    """An id from the query (?head_of_service=3): a whole number a database can hold."""
    text = request.query_params.get(name, "")
    if not text:
        return None
    if not text.isdecimal() or int(text) > LARGEST_ID:
        raise ValidationError({name: f"A whole number, not {text[:20]!r}."})
    return int(text)


def services_filter(request: Request, through: str = "") -> Q:
    """?service=LIC&head_of_service=3&committee=2, on services or on what belongs to one."""
    where = Q()
    if code := request.query_params.get("service"):
        where &= Q(**{f"{through}code": code})
    if (head := whole_number(request, "head_of_service")) is not None:
        where &= Q(**{f"{through}head_of_service": head})
    if (committee := whole_number(request, "committee")) is not None:
        where &= Q(**{f"{through}committees": committee})
    return where


def year_in_path(text: str) -> int:
    """The year part of an address (/plans/2012/LIC/): the calendar year it starts."""
    if not (text.isdecimal() and len(text) == 4):
        raise ValidationError({"year": f"The year it starts, e.g. 2012 for 2012/13, not {text!r}."})
    return int(text)


def financial_year(start_year: int) -> FinancialYear:
    year = FinancialYear.objects.filter(start_year=start_year).first()
    if year is None:
        raise NotFound(f"No financial year {FinancialYear(start_year=start_year).label}.")
    return year


def year_or_current(request: Request) -> FinancialYear:
    """?year=2012, else the current year."""
    wanted = whole_number(request, "year")
    if wanted is not None:
        return financial_year(wanted)
    year = FinancialYear.objects.filter(is_current=True).first()
    if year is None:
        raise NotFound("No current financial year: name one with ?year=.")
    return year


def priority(request: Request) -> Priority | None:
    """?priority=P3: the priority, or a 404 naming the code."""
    code = request.query_params.get("priority")
    if not code:
        return None
    found = Priority.objects.filter(code=code).first()
    if found is None:
        raise NotFound(f"No priority {code!r}.")
    return found


def as_at(request: Request, year: FinancialYear) -> periods.Period | None:
    """?as_at=2012-08, a month of the year; by default the latest month with a figure (None
    when the year has none yet)."""
    text = request.query_params.get("as_at")
    if not text:
        return latest_reported_month(year)
    try:
        month = periods.parse(text)
    except ValueError as error:
        raise ValidationError({"as_at": str(error)}) from error
    if month not in periods.months_of_year(year.start_year):
        raise ValidationError({"as_at": f"A month of {year.label}: April to March."})
    return month
