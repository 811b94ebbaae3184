from budgets.services import import_budget_risks
from spreadsheets.commands import ImportCommand


class Command(ImportCommand):
    help = (
        "Replace the budget risks of each head of service and year named in a CSV or XLSX file "
        "with columns head_of_service, year, text and optionally title. A row with no text "
        "says there are none. A file with any bad row is rejected whole."
    )
    importer = import_budget_risks
