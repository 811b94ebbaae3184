"""The chasing page: what is late for the services a person chases, who does it, filters,
counts, the CSV of the rows shown, and "send a reminder now" (once a day unless insisted)."""

import csv
import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from notifications import delivery
from notifications.models import Kind, Notification
from tests import factories

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Monday 22 October 2012: Licensing's September figures, due Friday 12th, are 6 working days
# late (15th to 19th, and the 22nd).
MONDAY = datetime.date(2012, 10, 22)
URL = "/notifications/chasing/"
REMIND = "/notifications/chasing/remind/"


@pytest.fixture(autouse=True)
def on_monday():
    with time_machine.travel(datetime.datetime(2012, 10, 22, 9, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def late_finance(world, late_figures):
    """Finance (officer_b edits it; its head of service has no account) has an indicator with
    no figures at all for 2012/13: April to September, six periods late."""
    indicator = factories.IndicatorFactory(service=world.service_b, code="FI01", first_year=2012)
    factories.TargetFactory(indicator=indicator, year=world.year)
    return indicator


def september(world) -> str:
    return f"figures:{world.service_a.pk}:2012-09-30"


def rows(response) -> list[tuple[str, str, int]]:
    return [
        (row.service.name, row.item.what, row.working_days_late)
        for row in response.context["page"].rows
    ]


def name(user) -> str:
    return user.get_full_name()


def test_urls():
    assert reverse("notifications:chasing") == URL
    assert reverse("notifications:chasing-remind") == REMIND


def test_the_page_lists_what_is_late_with_days_late_and_who(client, world, late_figures):
    client.force_login(world.admin)
    response = client.get(URL)
    assert response.status_code == 200
    assert rows(response) == [("Licensing", "September 2012 figures", 6)]
    html = response.content.decode()
    assert "September 2012 figures" in html and "1 of 1 to enter" in html
    assert "12 Oct 2012" in html
    assert "<strong>6</strong>" in html
    assert name(world.officer_a) in html
    assert "none yet" in html
    assert "Send a reminder now" in html


def test_late_items_are_grouped_by_head_of_service_then_service(client, world, late_finance):
    client.force_login(world.admin)
    groups = client.get(URL).context["page"].groups
    assert [(str(g.head), [s.service.name for s in g.services]) for g in groups] == sorted(
        [
            (str(world.service_a.head_of_service), ["Licensing"]),
            (str(world.service_b.head_of_service), ["Finance"]),
        ]
    )
    finance = next(g for g in groups if g.head == world.service_b.head_of_service)
    assert [row.item.what for row in finance.services[0].rows] == [
        f"{month} 2012 figures" for month in ("April", "May", "June", "July", "August", "September")
    ]


def test_a_head_of_service_sees_only_their_services(client, world, late_finance):
    client.force_login(world.head)
    assert {service for service, _, _ in rows(client.get(URL))} == {"Licensing"}
    client.force_login(world.admin)
    assert {service for service, _, _ in rows(client.get(URL))} == {"Licensing", "Finance"}


@pytest.mark.parametrize("persona", ["officer_a", "officer_b", "member"])
def test_officers_and_members_may_not_chase(client, world, late_figures, persona):
    client.force_login(world.persona(persona))
    assert client.get(URL).status_code == 403
    assert client.post(REMIND, {"about": september(world)}).status_code == 403
    assert not Notification.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_someone_without_an_email_address_is_told_in_the_product_only(client, world, late_figures):
    world.officer_a.email = ""
    world.officer_a.save()
    client.force_login(world.admin)
    html = client.get(URL).content.decode()
    assert f"{name(world.officer_a)} (no email address: told in the product only)" in html


def test_the_last_reminder_is_shown(client, world, late_figures):
    from notifications.reminders import send_reminders

    send_reminders(MONDAY)
    client.force_login(world.admin)
    response = client.get(URL)
    assert response.context["page"].rows[0].item.last_reminded is not None
    assert "22 Oct 2012 09:00" in response.content.decode()


def test_the_counts_say_what_is_late_by_kind_and_who(client, world, late_finance):
    client.force_login(world.admin)
    counts = client.get(URL).context["page"].counts
    assert counts.by_kind == [
        ("Figures", 7),
        ("Progress updates", 0),
        ("Plans to submit", 0),
        ("Plans to approve", 0),
        ("Sign-offs", 0),
    ]
    assert (counts.late, counts.services, counts.people) == (7, 2, 2)
    client.force_login(world.head)
    counts = client.get(URL).context["page"].counts
    assert (counts.late, counts.services, counts.people) == (1, 1, 1)


def test_plans_to_submit_and_to_approve_are_counted(client, world, late_figures):
    from plans.models import ServicePlan

    world.year.plans_due = datetime.date(2012, 10, 1)
    world.year.approvals_due = datetime.date(2012, 10, 15)
    world.year.save()
    ServicePlan.objects.filter(pk=world.plan_a.pk).update(status=ServicePlan.Status.SUBMITTED)
    client.force_login(world.admin)
    response = client.get(URL)
    assert dict(response.context["page"].counts.by_kind) == {
        "Figures": 1,
        "Progress updates": 0,
        "Plans to submit": 1,  # Finance's
        "Plans to approve": 1,  # Licensing's, by its head of service
        "Sign-offs": 0,
    }
    approval = next(r for r in response.context["page"].rows if r.item.kind == Kind.APPROVAL_DUE)
    assert approval.people == [world.head]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {"Licensing", "Finance"}),
        ("kind=figures-due", {"Licensing", "Finance"}),
        ("kind=sign-off-due", set()),
        ("service={b}", {"Finance"}),
        ("person={officer_a}", {"Licensing"}),
        ("head={head_a}", {"Licensing"}),
        ("head={head_b}&service={a}", set()),
        ("service=999999", {"Licensing", "Finance"}),  # not an option: ignored
    ],
)
def test_filters(client, world, late_finance, query, expected):
    query = query.format(
        a=world.service_a.pk,
        b=world.service_b.pk,
        officer_a=world.officer_a.pk,
        head_a=world.service_a.head_of_service.pk,
        head_b=world.service_b.head_of_service.pk,
    )
    client.force_login(world.admin)
    response = client.get(f"{URL}?{query}")
    assert {service for service, _, _ in rows(response)} == expected
    if not expected:
        assert "Nothing is late with these filters." in response.content.decode()


def test_due_soon_is_shown_only_when_asked(client, world, late_figures):
    client.force_login(world.admin)
    with time_machine.travel(datetime.datetime(2012, 10, 8, 9, tzinfo=LONDON), tick=False):
        late_only = client.get(URL)
        with_soon = client.get(f"{URL}?show=soon")
    assert rows(late_only) == []
    assert "Nothing is late." in late_only.content.decode()
    assert rows(with_soon) == [("Licensing", "September 2012 figures", 0)]
    assert "Due in 4 working days" in with_soon.content.decode()
    assert with_soon.context["page"].counts.late == 0


def test_remind_now_sends_and_records_it(
    client, world, late_figures, django_capture_on_commit_callbacks
):
    client.force_login(world.head)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(REMIND, {"about": september(world), "filters": "kind=figures-due"})
    assert response.status_code == 302
    assert response.url == f"{URL}?kind=figures-due#item-figures-{world.service_a.pk}-2012-09-30"
    assert delivery.send_soon in callbacks  # the email goes from the queue, not the request
    notification = Notification.objects.get(about=september(world))
    assert notification.recipient == world.officer_a
    assert notification.stage == "manual:2012-10-22"
    assert notification.reason == f"{name(world.head)} sent you this reminder."
    delivery.send_pending(MONDAY)
    (message,) = mail.outbox
    assert message.to == [world.officer_a.email]
    assert "September 2012 figures 6 working days late" in message.subject
    page = client.get(response.url)
    assert f"Reminder sent to {name(world.officer_a)}" in page.content.decode()
    assert "22 Oct 2012 09:00" in page.content.decode()  # the last reminder


def test_a_second_reminder_the_same_day_needs_insisting(client, world, late_figures):
    client.force_login(world.admin)
    about = september(world)
    client.post(REMIND, {"about": about})
    delivery.send_pending(MONDAY)
    assert len(mail.outbox) == 1

    again = client.post(REMIND, {"about": about})
    assert again.url.startswith(f"{URL}?again=figures")
    delivery.send_pending(MONDAY)
    assert len(mail.outbox) == 1 and Notification.objects.count() == 1
    html = client.get(again.url).content.decode()
    assert "already had a reminder today" in html and "nothing was sent" in html
    assert "Send again anyway" in html and 'name="insist" value="1"' in html

    insisted = client.post(REMIND, {"about": about, "insist": "1"})
    assert "again=" not in insisted.url
    delivery.send_pending(MONDAY)
    assert len(mail.outbox) == 2 and Notification.objects.count() == 2


def test_reminding_finds_the_item_again_among_the_users_own(client, world, late_finance):
    finance = f"figures:{world.service_b.pk}:2012-09-30"
    client.force_login(world.head)  # Finance is not theirs
    assert client.post(REMIND, {"about": finance}).status_code == 404
    assert client.post(REMIND, {"about": "figures:1:2099-01-31"}).status_code == 404
    assert client.get(REMIND).status_code == 405
    assert not Notification.objects.exists()


def test_nobody_to_remind_is_said_plainly(client, world, late_figures):
    world.service_a.editors.clear()
    world.service_a.head_of_service.user = None
    world.service_a.head_of_service.save()
    client.force_login(world.admin)
    response = client.post(REMIND, {"about": september(world)}, follow=True)
    assert "Nothing was sent" in response.content.decode()
    assert not Notification.objects.exists()


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="chasing-2012-10-22.csv"' in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_has_exactly_the_rows_shown(client, world, late_finance):
    world.officer_b.email = ""
    world.officer_b.save()
    client.force_login(world.admin)
    query = f"service={world.service_b.pk}"
    shown = client.get(f"{URL}?{query}").context["page"].rows
    header, *lines = read_csv(client.get(f"{URL}?{query}&format=csv"))
    assert header == [
        "Head of service",
        "Service",
        "What",
        "Detail",
        "Due date",
        "Working days late",
        "Who",
        "Emails",
        "Last reminder",
    ]
    assert [line[2] for line in lines] == [row.item.what for row in shown]
    assert len(lines) == 6
    assert lines[-1] == [
        str(world.service_b.head_of_service),
        "Finance",
        "September 2012 figures",
        "1 of 1 to enter",
        "2012-10-12",
        "6",
        name(world.officer_b),
        "no email address: told in the product only",
        "none yet",
    ]
    everything = read_csv(client.get(f"{URL}?format=csv"))
    assert len(everything) == 1 + 7


def test_the_csv_escapes_formulas(client, world, late_figures):
    world.officer_a.first_name = '=HYPERLINK("http://evil.example")'
    world.officer_a.save()
    world.service_a.head_of_service.name = "@SUM(1+1)"
    world.service_a.head_of_service.save()
    client.force_login(world.admin)
    (_, line) = read_csv(client.get(f"{URL}?format=csv"))
    assert line[0] == "'@SUM(1+1)"
    assert line[6].startswith("'=HYPERLINK(")


def test_the_xlsx_has_the_rows_of_the_csv_with_numbers_as_numbers(client, world, late_finance):
    client.force_login(world.admin)
    query = f"service={world.service_b.pk}"
    response = client.get(f"{URL}?{query}&format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="chasing-2012-10-22.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *lines = [list(row) for row in sheet.iter_rows(values_only=True)]
    csv_header, *csv_lines = read_csv(client.get(f"{URL}?{query}&format=csv"))
    assert header == csv_header
    assert [line[2] for line in lines] == [line[2] for line in csv_lines]
    assert lines[-1][5] == 6, "working days late stay a number"
    assert lines[-1][4] == datetime.datetime(2012, 10, 12)


def test_the_page_links_to_both_downloads_of_the_rows_filtered(client, world, late_finance):
    client.force_login(world.admin)
    page = client.get(f"{URL}?service={world.service_b.pk}").content.decode()
    for file_format in ("CSV", "XLSX"):
        link = f'format={file_format.lower()}" download>Download {file_format}<span'
        assert f"service={world.service_b.pk}&amp;{link}" in page
    assert page.count("of the 6 rows shown</span>") == 2


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def grow(world, services: int):
    """More services in the head's portfolio, each with two indicators' figures late and two
    editors (one with no email address)."""
    for n in range(services):
        service = factories.ServiceFactory(
            name=f"Extra {n}", head_of_service=world.service_a.head_of_service
        )
        service.editors.add(factories.UserFactory(), factories.UserFactory(email=""))
        for code in ("X1", "X2"):
            indicator = factories.IndicatorFactory(
                service=service, code=f"{code}{n}", first_year=2012
            )
            factories.TargetFactory(indicator=indicator, year=world.year)
        factories.ActualFactory(
            indicator=service.indicators.first(), period_end=datetime.date(2012, 4, 30)
        )


@pytest.mark.parametrize("persona", ["admin", "head"])
def test_the_page_does_not_grow_with_items_or_people(client, world, late_figures, persona):
    client.force_login(world.persona(persona))
    url = f"{URL}?show=soon"
    few = queries(client, url)
    grow(world, 4)
    more = client.get(url)
    assert len(more.context["page"].rows) > 20
    assert queries(client, url) == few
    # The download renders no page, but the header's unread count is read from the cache
    # (counted at sign-in): the same queries.
    assert queries(client, url + "&format=csv") == few


def test_the_header_links_to_chasing_for_those_who_may_chase(client, world):
    for persona, linked in [
        ("admin", True),
        ("head", True),
        ("officer_a", False),
        ("member", False),
    ]:
        client.force_login(world.persona(persona))
        html = client.get(reverse("portal:home")).content.decode()
        assert (f'href="{URL}"' in html) is linked, persona


def test_the_header_link_costs_no_query(client, world, settings):
    client.force_login(world.head)
    home = reverse("portal:home")
    with_link = queries(client, home)
    processors = settings.TEMPLATES[0]["OPTIONS"]["context_processors"]
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "context_processors": [
                    p for p in processors if p != "notifications.context_processors.chasing"
                ],
            },
        }
    ]
    assert queries(client, home) == with_link


def test_the_figures_overview_links_to_chasing(client, world):
    client.force_login(world.head)
    assert f'href="{URL}"' in client.get(reverse("performance:figures-overview")).content.decode()
    client.force_login(world.officer_a)
    assert (
        f'href="{URL}"' not in client.get(reverse("performance:figures-overview")).content.decode()
    )


def test_another_day_shows_what_was_late_then_without_remind_buttons(client, world, late_figures):
    client.force_login(world.admin)
    response = client.get(URL, {"on": "2012-10-26"})
    assert rows(response) == [("Licensing", "September 2012 figures", 10)]
    html = response.content.decode()
    assert "Friday 26 October 2012" in html
    assert "Send a reminder now" not in html and "From today's page" in html
    assert client.get(URL, {"on": "2012-10-11"}).context["page"].rows == []  # not yet late


def test_a_bad_day_says_so_and_shows_today(client, world, late_figures):
    client.force_login(world.admin)
    response = client.get(URL, {"on": "26/10/2012"})
    assert "“26/10/2012” is not a date like 2012-10-22: showing today." in response.content.decode()
    assert rows(response) == [("Licensing", "September 2012 figures", 6)]
