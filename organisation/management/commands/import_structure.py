from organisation.services import import_structure
from spreadsheets.commands import ImportCommand


class Command(ImportCommand):
    help = (
        "Create or update the council's structure from a CSV or XLSX file with columns "
        "directorate, head_of_service, service, shared_with, committees "
        "(committees: 'Name' or 'Name: scope note', separated by ';'). "
        "A file with any bad row is rejected whole."
    )
    importer = import_structure
