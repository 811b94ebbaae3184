"""Demo council data for the performance app, loaded by `python manage.py load_demo` after plans.

Sixty indicators across the demo council's services, with targets and two years of actuals
(2011/12 in full, 2012/13 to August), in fixtures/demo/indicators.csv, targets.csv and
actuals.csv. They are chosen so that the summary at August 2012 reproduces the green, amber
and red counts of the Sevenoaks 2012/13 summary's Part 3b tables (the Services Select Committee's
summary of
2012/13 service plans): Direct Services 4 green, 1 amber, 4 red; Customer Services 3 green;
IT 1 amber; Communications and Property Services nothing with a colour; and so on.
DEMO_SUMMARY below is that table; the tests check the demo against it.

The files go through the same import services an officer's upload does, so the demo also
proves the imports. Safe to run again: a second run changes nothing. It never changes which
financial year is the current one.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from organisation.access import is_administrator
from organisation.models import FinancialYear, Service
from performance import periods
from performance.models import Actual
from performance.services import (
    SignOffRefused,
    import_actuals,
    import_indicators,
    import_targets,
    sign_off_figures,
)

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
DEMO_YEARS = (2011, 2012)
DEMO_AS_AT = "2012-08"
# August 2012's figures are still waiting for the heads of service: provisional in the demo.
DEMO_PROVISIONAL_FROM = periods.Period.of(datetime.date(2012, 8, 31))
# The account the demo's figures are recorded as entered by: the policy & performance team.
DEMO_ENTERED_BY = "admin"

# The Sevenoaks 2012/13 summary, Part 3b "Service Performance Summary (at August 2012)": (green,
# amber, red) per
# service, a blank or "-" cell read as 0, and the overall status where the Sevenoaks summary prints
# one.
# The Sevenoaks summary's "IT" is the structure's "IT Services". Its two Legal & Democratic Services
# tables say "at August 2011"; the rest of that document, its Part 3a headings included, is
# at August 2012, so they are read as August 2012 too.
DEMO_SUMMARY = {
    "Environmental & Operational Services": {
        "Building Control": (2, 0, 0, None),
        "Direct Services": (4, 1, 4, None),
        "Environmental Health": (1, 0, 1, None),
        "Licensing": (1, 1, 0, None),
        "Parking & Amenity": (1, 0, 0, None),
    },
    "Finance & HR": {
        "Audit, Risk & Anti Fraud": (1, 0, 0, None),
        "Finance": (0, 0, 1, None),
        "Housing Benefits": (0, 1, 1, None),
        "Human Resources": (1, 0, 0, None),
        "Revenues": (2, 0, 0, None),
    },
    "Housing & Communications": {
        "Communications": (0, 0, 0, "-"),
        "Housing Policy": (1, 0, 1, None),
        "Private Housing": (1, 0, 1, None),
        "Social Housing": (3, 0, 0, None),
    },
    "IT & Facilities Management": {
        "Customer Services": (3, 0, 0, "green"),
        "IT Services": (0, 1, 0, "amber"),
        "Facilities Management": (1, 0, 0, "green"),
    },
    "Legal & Democratic Services": {
        "Democratic Services": (3, 0, 0, "green"),
        "Elections & Land Charges": (0, 1, 0, "amber"),
        "Legal Services": (3, 0, 0, "green"),
        "Policy & Performance": (1, 0, 0, "green"),
        "Property Services": (0, 0, 0, "-"),
    },
}


@transaction.atomic
def load_demo() -> None:
    for start_year in DEMO_YEARS:
        FinancialYear.objects.get_or_create(start_year=start_year)
    import_indicators(content=_read("indicators.csv"), filename="indicators.csv")
    import_targets(content=_read("targets.csv"), filename="targets.csv")
    entered_by = get_user_model().objects.filter(username=DEMO_ENTERED_BY).first()
    import_actuals(content=_read("actuals.csv"), filename="actuals.csv", entered_by=entered_by)
    # The policy team signs off for the heads of service, as an administrator may.
    if entered_by is not None and is_administrator(entered_by):
        _sign_off_before(DEMO_PROVISIONAL_FROM, entered_by)


def _sign_off_before(first_provisional: periods.Period, by) -> None:
    """Sign off every service's figures for each month before the first provisional one, as the
    policy team would once heads of service had checked them; a month with a figure missing or
    awaited stays provisional, as sign_off_figures requires."""
    # Only the months each service has figures in: a month with none has nothing to sign.
    reported = {
        (service_id, periods.Period.of(day))
        for service_id, day in Actual.objects.values_list("indicator__service_id", "period_end")
    }
    for service in Service.objects.filter(indicators__isnull=False).distinct():
        months = sorted(month for service_id, month in reported if service_id == service.pk)
        for month in months:
            if month >= first_provisional:
                continue
            try:
                sign_off_figures(service=service, period=month, by=by)
            except SignOffRefused:
                continue


def _read(name: str) -> bytes:
    return (DEMO_DIR / name).read_bytes()
