"""What the three import commands share: read the file, call the service, report the result."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from spreadsheets.reader import ImportRejected


class ImportCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="A CSV (UTF-8) or XLSX file.")

    def run_import(self, file: Path, **arguments) -> None:
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        try:
            result = self.service(content=content, filename=file.name, **arguments)
        except ImportRejected as rejected:
            raise CommandError(
                f"{file.name} was not imported; nothing was changed.\n{rejected}"
            ) from rejected
        self.stdout.write(self.style.SUCCESS(result.describe()))

    def handle(self, *args, file: Path, **options):
        self.run_import(file)
