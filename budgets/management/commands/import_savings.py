from budgets.services import import_savings
from spreadsheets.commands import ImportCommand


class Command(ImportCommand):
    help = (
        "Create, update or remove savings (£000) from a CSV or XLSX file with columns "
        "service, period, amount, description, status (period: 2011/12 or 2008/09-2009/10). "
        "The file lists every saving of each service and period it names. "
        "A file with any bad row is rejected whole."
    )
    importer = import_savings
