from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from organisation.user_import import import_users
from spreadsheets.commands import ImportCommand


class Command(ImportCommand):
    help = (
        "Invite the people in a CSV or XLSX file and bring those already known (by email) up to "
        "date. Columns: name, email, role (administrator, head of service, officer or member), "
        "services (names or codes separated by ';') and optionally head_of_service. A file "
        "with any bad row is rejected whole; invitations are emailed once it is saved."
    )
    importer = import_users

    def add_import_arguments(self, parser) -> None:
        parser.add_argument(
            "--by", help="Username of the administrator the invitations come from (optional)."
        )

    def import_arguments(self, *, by=None, **options):
        if not by:
            return {"by": None}
        try:
            return {"by": get_user_model().objects.get_by_natural_key(by)}
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user is called {by!r}.") from None
