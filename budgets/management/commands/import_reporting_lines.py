from budgets.services import import_reporting_lines
from spreadsheets.commands import ImportCommand


class Command(ImportCommand):
    help = (
        "Create or update reporting lines (services the finance team reports as one line) from "
        "a CSV or XLSX file with columns reporting_line, services (separated by ';'). "
        "A file with any bad row is rejected whole."
    )
    importer = import_reporting_lines
