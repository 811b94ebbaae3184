"""The shared shape of the budgets import commands: read a file, import it, say what changed."""

from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from budgets.services import ImportResult
from spreadsheets.reader import ImportRejected


class ImportCommand(BaseCommand):
    importer: Callable[..., ImportResult]

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="A CSV (UTF-8) or XLSX file.")

    def handle(self, *args, file: Path, **options):
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        try:
            result = type(self).importer(content=content, filename=file.name)
        except ImportRejected as rejected:
            raise CommandError(
                f"{file.name} was not imported; nothing was changed.\n{rejected}"
            ) from rejected
        self.stdout.write(self.style.SUCCESS(result.describe()))
