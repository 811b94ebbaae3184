from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from plans.progress_import import import_progress
from spreadsheets.commands import ImportCommand


class Command(ImportCommand):
    help = (
        "Record progress updates from a CSV or XLSX file with columns reference, "
        "monitoring_point, status, percent_complete, commentary (optional: completed_on for a "
        "milestone, likelihood and impact for a risk). monitoring_point is the month it reports "
        'as at (2012-09) or its name and year ("Half-year 2012/13"). A file with any bad row '
        "is rejected whole."
    )
    importer = import_progress

    def add_import_arguments(self, parser):
        parser.add_argument(
            "--recorded-by", metavar="USERNAME", help="The account the updates are recorded by."
        )

    def import_arguments(self, *, recorded_by=None, **options):
        if not recorded_by:
            return {"recorded_by": None}
        try:
            return {"recorded_by": get_user_model().objects.get_by_natural_key(recorded_by)}
        except get_user_model().DoesNotExist:
            raise CommandError(f"There is no user {recorded_by!r}.") from None
