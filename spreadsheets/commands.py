"""The management command every import shares: read the file, import it, say what changed.

    class Command(ImportCommand):
        help = "..."
        importer = import_budgets

A file with any problem is refused whole: the command fails (CommandError) listing every
problem by row and column, and nothing is changed. An import that takes more than the file
(who entered the figures) adds its options with add_import_arguments and turns them into the
importer's keyword arguments with import_arguments.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from spreadsheets.reader import ImportRejected
from spreadsheets.results import ImportResult


class ImportCommand(BaseCommand):
    # importer(content=bytes, filename=str, **import_arguments(...)) -> ImportResult
    importer: Callable[..., ImportResult]

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="A CSV (UTF-8) or XLSX file.")
        self.add_import_arguments(parser)

    def add_import_arguments(self, parser) -> None:
        """Options of this import beyond the file: none unless a command adds some."""

    def import_arguments(self, **options) -> dict[str, Any]:
        """The importer's keyword arguments from the command's options (raise CommandError
        for a bad one). Called before the file is read."""
        return {}

    def handle(self, *args, file: Path, **options):
        arguments = self.import_arguments(**options)
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        try:
            # Looked up on the class: a function stored there is not a method of the command.
            result = type(self).importer(content=content, filename=file.name, **arguments)
        except ImportRejected as rejected:
            raise CommandError(
                f"{file.name} was not imported; nothing was changed.\n{rejected}"
            ) from rejected
        self.stdout.write(self.style.SUCCESS(result.describe()))
