"""Writes to budgets: the imports of reporting lines, budgets and staffing, savings and budget
risks. The management commands and the web upload screens both call these functions.

Every import works like the structure import: the whole file is read and checked first, every
problem is collected with its spreadsheet row (the header is row 1) and column, and a file with
any problem is refused whole (ImportRejected) with nothing written. A good file is written in
one transaction. Importing the same file again changes nothing and says so.

What each file is the truth for:
- reporting lines: the services of each line it names; other lines are left alone.
- budgets: for each service (or line) and year it names, the budget when net_budget is given
  (gross_expenditure, income and forecast are set from the same row, blanks clear them) and the
  staffing when fte is given. A blank net_budget or fte leaves that figure as it is.
- savings: for each service (or line) and period it names, the complete list of savings. A
  saving already recorded for that service and period but missing from the file is removed; a
  saving with the same description is updated. Other periods are left alone. A row with only
  the service and the period (amount, description and status blank) says there are no savings
  for that period, and removes any recorded.
- budget risks: for each head of service and year it names, the complete list of risks, in the
  file's order. A row with the text left blank says there are none, and removes any recorded.

Nothing may be counted twice in a head of service's totals:
- a service's budget (and staffing) for a year is either its own or part of its reporting
  line's, never both;
- a service's savings for a year are either in one span of years or on their own. Savings for
  exactly the same period may be several (different initiatives), but a saving for 2009/10
  beside one for 2008/09 to 2009/10, or spans 2008/09-2009/10 and 2009/10-2010/11, would count
  2009/10 twice (the span is the total for its years) and cannot be placed in one column of the
  savings table, so the import refuses them. The same applies between a reporting line and its
  services.
"""

from budgets.services.budget_risks import import_budget_risks
from budgets.services.budgets_and_staffing import import_budgets
from budgets.services.common import (
    BUDGET_COLUMNS,
    BUDGET_RISK_COLUMNS,
    REPORTING_LINE_COLUMNS,
    SAVING_COLUMNS,
    ImportResult,
    counted_twice,
)
from budgets.services.reporting_lines import import_reporting_lines
from budgets.services.savings import import_savings

__all__ = [
    "BUDGET_COLUMNS",
    "BUDGET_RISK_COLUMNS",
    "REPORTING_LINE_COLUMNS",
    "SAVING_COLUMNS",
    "ImportResult",
    "counted_twice",
    "import_budget_risks",
    "import_budgets",
    "import_reporting_lines",
    "import_savings",
]
