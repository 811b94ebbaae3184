from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from performance.management.importing import ImportCommand
from performance.services import import_actuals


class Command(ImportCommand):
    help = (
        "Create or update indicator actuals from a CSV or XLSX file with columns code, "
        "period_end, value, state, commentary (optional: forecast). period_end is the month "
        "the period ends in, like 2012-08. A file with any bad row is rejected whole."
    )
    service = staticmethod(import_actuals)

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--entered-by",
            metavar="USERNAME",
            help="The account the figures are recorded as entered by.",
        )

    def handle(self, *args, file, entered_by=None, **options):
        user = None
        if entered_by:
            try:
                user = get_user_model().objects.get_by_natural_key(entered_by)
            except get_user_model().DoesNotExist:
                raise CommandError(f"There is no user {entered_by!r}.") from None
        self.run_import(file, entered_by=user)
