"""The reminder job: what is due or late, the stages, escalation, digests, sending once."""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from notifications.models import Email, Kind, Notification, Preference
from notifications.reminders import outstanding, send_reminders, stage_on
from organisation.reporting_calendar import month_end
from performance.models import Actual, FigureSignOff
from tests import factories

LONDON = zoneinfo.ZoneInfo("Europe/London")
SEPTEMBER = "figures:{}:2012-09-30"


def at(day: datetime.date, hour: int = 7):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, hour, tzinfo=LONDON), tick=False
    )


@pytest.mark.parametrize(
    "today, stage",
    [
        (datetime.date(2012, 10, 4), None),
        (datetime.date(2012, 10, 5), "due-soon"),  # five working days before Friday 12th
        (datetime.date(2012, 10, 11), "due-soon"),
        (datetime.date(2012, 10, 12), "due-today"),
        (datetime.date(2012, 10, 13), "due-today"),  # a Saturday: not yet a working day late
        (datetime.date(2012, 10, 15), "overdue-1"),
        (datetime.date(2012, 10, 19), "overdue-2"),
        (datetime.date(2012, 10, 26), "overdue-3"),
        (datetime.date(2012, 11, 2), "overdue-4"),
        (datetime.date(2013, 1, 2), "overdue-4"),
    ],
)
def test_stage_reached_by_a_day(today, stage):
    assert stage_on(datetime.date(2012, 10, 12), today) == stage


def test_stages_skip_bank_holidays(settings):
    settings.BANK_HOLIDAYS = "england-and-wales"
    # Due Thursday 20 December 2012: the first working day late is Friday 21st, the fifth
    # is 31 December (Christmas Day, Boxing Day and the weekend skipped).
    due = datetime.date(2012, 12, 20)
    assert stage_on(due, datetime.date(2012, 12, 21)) == "overdue-1"
    assert stage_on(due, datetime.date(2012, 12, 28)) == "overdue-1"
    assert stage_on(due, datetime.date(2012, 12, 31)) == "overdue-2"


def told(about: str, stage: str) -> set[str]:
    return set(
        Notification.objects.filter(about=about, stage=stage).values_list(
            "recipient__username", flat=True
        )
    )


def test_reminders_escalate_day_by_day(world, late_figures):
    about = SEPTEMBER.format(world.service_a.pk)
    expected = [
        (datetime.date(2012, 10, 4), None, set()),
        (datetime.date(2012, 10, 5), "due-soon", {"officer_a"}),
        (datetime.date(2012, 10, 12), "due-today", {"officer_a"}),
        (datetime.date(2012, 10, 15), "overdue-1", {"officer_a"}),
        (datetime.date(2012, 10, 19), "overdue-2", {"officer_a"}),
        (datetime.date(2012, 10, 26), "overdue-3", {"officer_a", "head"}),
        (datetime.date(2012, 11, 2), "overdue-4", {"officer_a", "head", "admin"}),
    ]
    for day, stage, people in expected:
        with at(day):
            send_reminders()
        if stage:
            assert told(about, stage) == people, day
    assert Notification.objects.filter(about=about).count() == 6 + 2 + 1
    escalated = Notification.objects.get(about=about, stage="overdue-3", recipient=world.head)
    assert "Escalated" in escalated.reason
    assert escalated.subject.startswith("Licensing: September 2012 figures 10 working days late")


def test_running_twice_on_a_day_sends_nothing_more(world, late_figures):
    with at(datetime.date(2012, 10, 15)):
        first = send_reminders()
        second = send_reminders()
    assert first.told >= 1 and first.sent >= 1
    assert (second.told, second.sent) == (0, 0)
    assert len(mail.outbox) == first.sent


def test_a_late_run_tells_only_the_latest_stage(world, late_figures):
    with at(datetime.date(2012, 10, 19)):
        send_reminders()
    stages = set(
        Notification.objects.filter(about=SEPTEMBER.format(world.service_a.pk)).values_list(
            "stage", flat=True
        )
    )
    assert stages == {"overdue-2"}


def test_an_entered_figure_is_no_longer_chased(world, late_figures):
    factories.ActualFactory(indicator=late_figures, period_end=datetime.date(2012, 9, 30))
    items = outstanding(datetime.date(2012, 10, 15))
    assert not [item for item in items if item.kind == Kind.FIGURES_DUE]
    # ...but waits for its head of service's sign-off
    assert [item.what for item in items if item.kind == Kind.SIGN_OFF_DUE] == [
        "Sign-off of September 2012 figures"
    ]


def test_an_awaited_figure_is_still_chased(world, late_figures):
    factories.ActualFactory(
        indicator=late_figures,
        period_end=datetime.date(2012, 9, 30),
        value=None,
        state=Actual.State.AWAITED,
    )
    (item,) = [i for i in outstanding(datetime.date(2012, 10, 15)) if i.kind == Kind.FIGURES_DUE]
    assert item.detail == "1 of 1 to enter, 1 awaited"


def test_one_digest_a_day_lists_everything(world, late_figures):
    indicator_b = factories.IndicatorFactory(service=world.service_b, code="FI01", first_year=2012)
    factories.TargetFactory(indicator=indicator_b, year=world.year)
    world.service_b.editors.add(world.officer_a)
    with at(datetime.date(2012, 10, 15)):
        send_reminders()
    to_officer = [m for m in mail.outbox if m.to == [world.officer_a.email]]
    assert len(to_officer) == 1
    (digest,) = to_officer
    assert digest.subject.startswith("Your reminders for 15 October 2012:")
    text = digest.body
    assert "Licensing: September 2012 figures 1 working day late" in text
    assert "Finance: April 2012 figures" in text
    html = digest.alternatives[0][0]
    assert "Licensing: September 2012 figures" in html
    assert Email.objects.get(recipient=world.officer_a).is_digest


def test_immediate_mail_sends_each_reminder_alone(world, late_figures):
    Preference.objects.create(user=world.officer_a, immediate=True)
    indicator_b = factories.IndicatorFactory(service=world.service_b, code="FI01", first_year=2012)
    factories.TargetFactory(indicator=indicator_b, year=world.year)
    world.service_b.editors.add(world.officer_a)
    with at(datetime.date(2012, 10, 15)):
        send_reminders()
    to_officer = [m for m in mail.outbox if m.to == [world.officer_a.email]]
    assert len(to_officer) > 1
    assert not any(m.subject.startswith("Your reminders") for m in to_officer)


def test_a_reminder_after_the_days_digest_waits_for_tomorrow(world, late_figures):
    def to_officer():
        return [m for m in mail.outbox if m.to == [world.officer_a.email]]

    with at(datetime.date(2012, 10, 15)):
        send_reminders()
        assert len(to_officer()) == 1
        factories.IndicatorFactory(service=world.service_a, code="LI02", first_year=2012)
        send_reminders()  # new late figures appear after the digest went
    assert len(to_officer()) == 1
    with at(datetime.date(2012, 10, 16)):
        send_reminders()
    assert len(to_officer()) == 2
    assert "April 2012 figures" in to_officer()[1].body


def test_mail_server_down_loses_nothing(world, late_figures, settings, closed_port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 2
    day = datetime.date(2012, 10, 15)
    with at(day):
        run = send_reminders()  # no error escapes
    assert (run.sent, run.failed) == (0, 1)
    email = Email.objects.get(recipient=world.officer_a)
    assert email.sent_at is None and email.attempts == 1
    assert "ConnectionRefusedError" in email.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with at(day, hour=8):
        again = send_reminders()
    assert (again.told, again.sent, again.failed) == (0, 1, 0)
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 2 and email.last_error == ""
    (message,) = [m for m in mail.outbox if m.to == [world.officer_a.email]]
    assert "September 2012 figures" in message.body


def test_a_person_without_an_address_is_told_in_the_product(world, late_figures):
    world.officer_a.email = ""
    world.officer_a.save()
    out = io.StringIO()
    with at(datetime.date(2012, 10, 15)):
        call_command("send_reminders", stdout=out)
    assert Notification.objects.filter(recipient=world.officer_a).exists()
    assert not Email.objects.filter(recipient=world.officer_a).exists()
    assert "No email address, told in the product only: officer_a." in out.getvalue()


def test_dry_run_changes_nothing(world, late_figures):
    out = io.StringIO()
    call_command("send_reminders", "--today", "2012-10-26", "--dry-run", stdout=out)
    assert not Notification.objects.exists() and not mail.outbox
    text = out.getvalue()
    assert "would tell head <head@example.org>: Licensing: September 2012 figures" in text
    assert "Dry run:" in text


def test_bad_date_is_refused_plainly(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="is not a date like 2012-10-15"):
        call_command("send_reminders", "--today", "15/10/2012")


def test_a_digest_through_a_real_mail_server(world, late_figures, smtp_mail, settings):
    settings.SITE_URL = "https://intranet.example.gov.uk/serviceplans"
    with at(datetime.date(2012, 10, 15)):
        run = send_reminders()
    assert run.failed == 0
    (received,) = [m for m in smtp_mail.messages if world.officer_a.email in m.envelope_recipients]
    assert received["Subject"].startswith("Your reminders for 15 October 2012")
    text = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    link = (
        "https://intranet.example.gov.uk/serviceplans/performance/figures/"
        f"{world.service_a.pk}/2012-09/"
    )
    assert link in text and link in html
    assert "Why you are told: You are an editor of Licensing." in text
    assert settings.COUNCIL_NAME in text


def job_queries(day: datetime.date) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with at(day), CaptureQueriesContext(connection) as queries:
        send_reminders()
    return len(queries)


def late_service(number: int, year) -> None:
    head = factories.HeadOfServiceFactory(user=factories.UserFactory())
    service = factories.ServiceFactory(name=f"Service {number}", head_of_service=head)
    service.editors.add(factories.UserFactory(), factories.UserFactory())
    indicator = factories.IndicatorFactory(service=service, first_year=2012)
    factories.TargetFactory(indicator=indicator, year=year)
    for month in range(4, 9):  # only September's figures late, as Licensing's
        end = month_end(2012, month)
        factories.ActualFactory(indicator=indicator, period_end=end)
        FigureSignOff.objects.create(service=service, period_end=end)


def test_the_job_costs_the_same_queries_for_more_services_and_people(world, late_figures):
    """On PostgreSQL whatever the numbers (bench/bench_send_reminders.py: 30 and 300 services);
    SQLite splits an insert of more than about 90 rows, so this council stays under that."""
    day = datetime.date(2012, 10, 26)  # escalated: editors, heads and administrators told
    few = job_queries(day)
    Notification.objects.all().delete()
    Email.objects.all().delete()
    for number in range(4):
        late_service(number, world.year)
    assert job_queries(day) == few
