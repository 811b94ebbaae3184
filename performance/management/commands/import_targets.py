from performance.services import import_targets
from spreadsheets.commands import ImportCommand


class Command(ImportCommand):
    help = (
        "Create or update targets from a CSV or XLSX file with columns code, year, target "
        "(year like 2012/13; optional period_end to profile the year's target by period). "
        "A file with any bad row is rejected whole."
    )
    importer = import_targets
