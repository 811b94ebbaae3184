from django.core.management.base import BaseCommand

from portal.demo import DEMO_PASSWORD, DEMO_USERS, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo council (Sevenoaks District Council 2012/13) with one account per role. "
        "Running it again leaves existing data as it is."
    )

    def handle(self, *args, **options):
        load_demo()
        self.stdout.write(self.style.SUCCESS("Demo council loaded."))
        accounts = ", ".join(username for username, *_ in DEMO_USERS)
        self.stdout.write(f"Demo accounts: {accounts} (password: {DEMO_PASSWORD})")
