from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from organisation import years
from organisation.models import FinancialYear, Service
from performance import periods
from performance.exports import FORMATS, IndicatorStatusExporter


class Command(BaseCommand):
    help = (
        "Export every indicator's status as at a month (target, actual, RAG, forecast, "
        "direction of travel, commentary) as CSV or XLSX."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-at", required=True, help="The report month, like 2012-08.")
        parser.add_argument("--format", choices=FORMATS, default="csv", dest="file_format")
        parser.add_argument("--output", type=Path, help="File to write; CSV only: default stdout.")
        parser.add_argument("--head-of-service", help="Only this head of service's services.")
        parser.add_argument("--service", help="Only this service.")
        parser.add_argument("--corporate", action="store_true", help="Only corporate indicators.")

    def handle(
        self, *args, as_at, file_format, output, head_of_service, service, corporate, **options
    ):
        try:
            month = periods.parse(as_at)
        except ValueError as error:
            raise CommandError(str(error)) from error
        try:
            year = FinancialYear.objects.get(start_year=month.financial_year)
        except FinancialYear.DoesNotExist:
            label = years.label_for(month.financial_year)
            raise CommandError(f"Financial year {label} has not been set up.") from None
        services = Service.objects.all()
        if head_of_service:
            services = services.filter(head_of_service__name__iexact=head_of_service)
        if service:
            services = services.filter(name__iexact=service)
        if (head_of_service or service) and not services.exists():
            raise CommandError("No service matches; check the names.")
        export = IndicatorStatusExporter().render(
            year=year,
            as_at=month,
            file_format=file_format,
            services=services if head_of_service or service else None,
            corporate_only=corporate,
        )
        if output is None:
            if file_format != "csv":
                raise CommandError("Give --output for an XLSX file.")
            self.stdout.write(export.content.decode("utf-8-sig"), ending="")
            return
        output.write_bytes(export.content)
        self.stderr.write(f"Wrote {output}.")
