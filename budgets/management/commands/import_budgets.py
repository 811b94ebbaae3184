from budgets.services import import_budgets
from spreadsheets.commands import ImportCommand


class Command(ImportCommand):
    help = (
        "Create or update net budgets (£000) and staff FTEs from a CSV or XLSX file with columns "
        "service, year, net_budget, gross_expenditure, income, fte, forecast. "
        "A file with any bad row is rejected whole."
    )
    importer = import_budgets
