"""Writes the open data files of a month to a folder: the same bytes as the site serves at
/open-data/<year>/<month>/, for publishing on the council's open data portal.

    manage.py export_open_data --year 2012 --month 2012-10 --to /srv/open-data/2012/2012-10
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from opendata import formats
from opendata.datasets import DATASETS, month_of
from organisation.council import council_settings
from organisation.models import FinancialYear
from performance.selectors import latest_reported_month


class Command(BaseCommand):
    help = (
        "Write every open dataset of a month (CSV, JSON, CSVW metadata, JSON Schema) to a folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Start year: 2012 for 2012/13.")
        parser.add_argument(
            "--month", help="The month the data is as at, YYYY-MM. Default: the latest reported."
        )
        parser.add_argument("--to", type=Path, required=True, help="The folder to write to.")

    def handle(self, *args, year: int, month: str | None, to: Path, **options):
        financial_year = FinancialYear.objects.filter(start_year=year).first()
        if financial_year is None:
            raise CommandError(f"There is no financial year {year}.")
        if month:
            try:
                as_at = month_of(financial_year, month, today=timezone.localdate())
            except ValueError as problem:
                raise CommandError(str(problem)) from None
        else:
            as_at = latest_reported_month(financial_year)
            if as_at is None:
                raise CommandError(f"No figures are recorded for {financial_year}: give --month.")
        try:
            to.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"Cannot write to {to}: {error.strerror}.") from error
        publisher = council_settings().name
        for dataset in DATASETS.values():
            for kind in formats.SUFFIXES:
                content, _ = formats.dataset_file(
                    dataset, kind, year=financial_year, as_at=as_at, publisher=publisher
                )
                (to / formats.file_name(dataset, kind)).write_bytes(content)
        count = len(DATASETS) * len(formats.SUFFIXES)
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {count} files of {financial_year} as at {as_at.month_label} to {to}."
            )
        )
