"""The daily job: remind people of what is due or late, send digests, retry failed mail."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from notifications.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Remind people of figures, progress updates, plans, approvals and sign-offs due soon, "
        "due today or late (each reminder once; escalating to heads of service and "
        "administrators), send each person's digest, and retry mail that failed. Safe to run "
        "as often as you like: run it hourly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            help="Act as if it were this day (YYYY-MM-DD): see what would be sent on a given day.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be sent; change nothing."
        )

    def handle(self, *args, today=None, dry_run=False, **options):
        day = _day(today) if today else None
        run = send_reminders(day, dry_run=dry_run)
        late = sum(item.is_late(run.today) for item in run.items)
        self.stdout.write(
            f"{run.today:%-d %B %Y}: {len(run.items)} things due soon or late ({late} late)."
        )
        if dry_run:
            for message, user, reason in run.messages:
                address = user.email or "no email address: in the product only"
                self.stdout.write(f"  would tell {user} <{address}>: {message.subject} ({reason})")
            self.stdout.write(
                f"Dry run: {len(run.messages)} reminders would be made; nothing sent."
            )
            return
        self.stdout.write(
            f"{run.told} reminders made; {run.sent} emails sent, {run.failed} not sent "
            "(they are tried again at the next run)."
        )
        if run.without_email:
            names = ", ".join(sorted(str(user) for user in run.without_email))
            self.stdout.write(f"No email address, told in the product only: {names}.")


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--today {text!r} is not a date like 2012-10-15.") from error
