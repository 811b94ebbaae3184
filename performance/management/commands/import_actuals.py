from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from performance.services import import_actuals
from spreadsheets.commands import ImportCommand


class Command(ImportCommand):
    help = (
        "Create or update indicator actuals from a CSV or XLSX file with columns code, "
        "period_end, value, state, commentary (optional: forecast). period_end is the month "
        "the period ends in, like 2012-08. A file with any bad row is rejected whole."
    )
    importer = import_actuals

    def add_import_arguments(self, parser):
        parser.add_argument(
            "--entered-by",
            metavar="USERNAME",
            help="The account the figures are recorded as entered by.",
        )

    def import_arguments(self, *, entered_by=None, **options):
        user = None
        if entered_by:
            try:
                user = get_user_model().objects.get_by_natural_key(entered_by)
            except get_user_model().DoesNotExist:
                raise CommandError(f"There is no user {entered_by!r}.") from None
        return {"entered_by": user}
