"""Demo council data for the budgets app, loaded by `python manage.py load_demo` after the plans.

The files in fixtures/demo/ go through the same imports a council uses, so the demo also proves
the file formats. What comes from where:

- budgets.csv: the net budgets for 2010/11 to 2012/13 of the five heads of service in the
  Sevenoaks 2012/13 summary (Part 2b), exactly. Invented, plausibly: the rows of Community
  Development and Development Services, which the summary does not cover; gross expenditure and
  income for 2012/13 (always adding up to the summary's net budget); the forecasts for 2013/14
  and 2014/15 (the 2012/13 budget less the savings agreed for each year); and every FTE figure,
  because the summary's Part 2a tables were images with no figures in the text. The summary's
  row "IT" is the service "IT Services" of the demo structure.
- savings.csv: Part 2c of the summary, exactly, including the 0 it prints for Customer Services
  in 2008-10 and the -22 of Elections & Land Charges in 2011/12; "2008 - 10" is the span
  2008/09-2009/10. The descriptions are generic because the summary gives only totals; the
  statuses (achieved up to 2011/12, agreed after) are invented. Community Development and
  Development Services are invented as above.
- reporting_lines.csv: "Private & Social Housing" and "Revenues & Benefits", the two rows of the
  summary that cover two services each.
- budget_risks.csv: the two risks of Part 3c; every other head of service has none.
"""

from pathlib import Path

from django.conf import settings
from django.db import transaction

from budgets import services
from budgets.models import Budget, BudgetRisk, ReportingLine, Saving, Staffing
from organisation.models import FinancialYear

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
# 2008/09 for the savings of "2008 - 10", to 2014/15, the end of the four-year savings plan.
DEMO_YEARS = range(2008, 2015)
IMPORTS = [
    (services.import_reporting_lines, "reporting_lines.csv"),
    (services.import_budgets, "budgets.csv"),
    (services.import_savings, "savings.csv"),
    (services.import_budget_risks, "budget_risks.csv"),
]


@transaction.atomic
def load_demo() -> None:
    """Load the demo figures once. Run again, it leaves the council's figures as they are, so
    that `make run` never undoes what someone changed (the imports would put the demo's figures
    back)."""
    for start_year in DEMO_YEARS:
        # Never touches which year is current: that belongs to portal.demo and the council.
        FinancialYear.objects.get_or_create(start_year=start_year)
    if any(
        model.objects.exists() for model in (ReportingLine, Budget, Staffing, Saving, BudgetRisk)
    ):
        return
    for import_file, name in IMPORTS:
        import_file(content=(DEMO_DIR / name).read_bytes(), filename=name)
