from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from organisation.services import import_structure
from spreadsheets.reader import ImportRejected


class Command(BaseCommand):
    help = (
        "Create or update the council's structure from a CSV or XLSX file with columns "
        "directorate, head_of_service, service, shared_with, committees "
        "(committees: 'Name' or 'Name: scope note', separated by ';'). "
        "A file with any bad row is rejected whole."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        try:
            result = import_structure(content=content, filename=file.name)
        except ImportRejected as rejected:
            raise CommandError(
                f"{file.name} was not imported; nothing was changed.\n{rejected}"
            ) from rejected
        self.stdout.write(self.style.SUCCESS(result.describe()))
