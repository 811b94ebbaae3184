from performance.services import import_indicators
from spreadsheets.commands import ImportCommand


class Command(ImportCommand):
    help = (
        "Create or update performance indicators from a CSV or XLSX file with columns code, "
        "title, service, unit, polarity, frequency, tolerance, corporate, accountable_manager, "
        "definition (optional: type, decimal_places, data_source, priorities). "
        "A file with any bad row is rejected whole."
    )
    importer = import_indicators
