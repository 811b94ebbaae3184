from django.core.management.base import BaseCommand, CommandError

from organisation import years
from organisation.models import FinancialYear
from performance import periods
from performance.selectors import head_of_service_summaries


class Command(BaseCommand):
    help = (
        "Print each head of service's service performance summary as at a month: green, "
        "amber and red counts, indicators without data, and the overall status (as in Part 3b "
        "of the committee summary of service plans)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-at", required=True, help="The report month, like 2012-08.")

    def handle(self, *args, as_at, **options):
        try:
            month = periods.parse(as_at)
        except ValueError as error:
            raise CommandError(str(error)) from error
        year = FinancialYear.objects.filter(start_year=month.financial_year).first()
        if year is None:
            label = years.label_for(month.financial_year)
            raise CommandError(f"Financial year {label} has not been set up.")
        line = "{:<52} {:>5} {:>5} {:>5} {:>12} {:>9}  {}"
        for portfolio in head_of_service_summaries(year=year, as_at=month):
            self.stdout.write(f"\n{portfolio.head_of_service} (at {month.month_label})")
            self.stdout.write(
                line.format("", "Green", "Amber", "Red", "Without data", "Data only", "Overall")
            )
            for summary in [*portfolio.services, portfolio]:
                counts = summary.counts
                name = getattr(summary, "service", None) or "Total"
                self.stdout.write(
                    line.format(
                        str(name),
                        counts.green or "-",
                        counts.amber or "-",
                        counts.red or "-",
                        counts.without_data or "-",
                        counts.data_only or "-",
                        counts.overall.label if counts.overall else "-",
                    )
                )
