"""The accessibility statement follows GOV.UK's sample statement, with the council's name, contact
and dates from its settings; everyone reaches it from every page's footer without signing in."""

import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from organisation.services import update_council_settings
from tests.organisation.test_council_settings import URL as SETTINGS_URL
from tests.organisation.test_council_settings import errors, form_data

pytestmark = pytest.mark.django_db

STATEMENT = reverse("portal:accessibility")
FOOTER_LINK = f'<a class="link-secondary" href="{STATEMENT}">Accessibility statement</a>'


def statement(client) -> str:
    response = client.get(STATEMENT)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_statement_has_every_part_of_the_model_statement(client, world):
    page = text(statement(client))
    for heading in (
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website’s accessibility",
        "Compliance status",
        "Non-accessible content",
        "Non-compliance with the accessibility regulations",
        "Disproportionate burden",
        "Content that’s not within the scope of the accessibility regulations",
        "What we’re doing to improve accessibility",
        "Preparation of this accessibility statement",
    ):
        assert heading in page, heading
    assert (
        "This website is partially compliant with the Web Content Accessibility Guidelines "
        "version 2.2 AA standard" in page
    )
    assert "Equality and Human Rights Commission (EHRC)" in page
    assert "Equality Advisory and Support Service (EASS)" in page
    assert "Equality Commission for Northern Ireland" in page
    assert "(No. 2) Accessibility Regulations 2018" in page


def test_the_known_limits_of_the_reports_and_uploads_are_listed(client, world):
    page = text(statement(client))
    assert "Tables that continue on the next page of a PDF report." in page
    assert "Charts in reports." in page
    assert "Files attached as evidence." in page
    assert "Pages for developers." in page
    assert "Links to other websites." in page


def test_the_councils_name_and_contact_come_from_its_settings(client, world):
    update_council_settings(
        values={
            "name": "Kentish Weald District Council",
            "contact_email": "access@weald.example",
            "contact_phone": "01732 227000",
            "contact_address": "Council Offices\nArgyle Road",
        }
    )
    page = statement(client)
    assert (
        "<h1>Accessibility statement for Kentish Weald District Council’s service plans and "
        "performance</h1>" in page
    )
    assert '<a href="mailto:access@weald.example">access@weald.example</a>' in page
    assert "Telephone: 01732 227000" in page
    assert "Council Offices<br>Argyle Road" in page
    assert "has not yet given a contact" not in page


def test_without_a_contact_the_statement_says_so_and_administrators_are_told_where(client, world):
    update_council_settings(values={"name": "Kentish Weald District Council"})
    page = statement(client)
    assert "<address" not in page
    assert "Kentish Weald District Council has not yet given a contact for this website." in page
    assert SETTINGS_URL not in page  # a resident is not sent to the settings page
    client.force_login(world.admin)
    assert f'<a href="{SETTINGS_URL}">council settings</a>' in statement(client)


def test_the_dates_come_from_the_settings(client, world):
    update_council_settings(
        values={
            "accessibility_prepared_on": datetime.date(2025, 3, 3),
            "accessibility_reviewed_on": datetime.date(2026, 2, 17),
            "accessibility_tested_on": datetime.date(2026, 2, 10),
        }
    )
    page = text(statement(client))
    assert (
        "This statement was prepared on 3 March 2025. It was last reviewed on 17 February 2026."
        in page
    )
    assert "This website was last tested by" in page
    assert "on 10 February 2026, against the WCAG 2.2 AA standard." in page
    assert "has not yet recorded" not in page


def test_without_dates_the_statement_says_none_is_recorded(client, world):
    page = text(statement(client))
    assert "has not yet recorded when it prepared this statement." in page
    assert "has not yet recorded a test of its own of this website." in page
    assert "This statement was prepared on" not in page


def test_the_administrator_gives_the_dates_on_the_settings_page(client, world):
    client.force_login(world.admin)
    response = client.post(
        SETTINGS_URL,
        form_data(accessibility_prepared_on="2025-03-03", accessibility_reviewed_on="2026-02-17"),
    )
    assert response.status_code == 302
    assert "last reviewed on 17 February 2026" in text(statement(client))


def test_a_review_before_the_statement_was_prepared_is_refused(client, world):
    client.force_login(world.admin)
    response = client.post(
        SETTINGS_URL,
        form_data(accessibility_prepared_on="2026-03-03", accessibility_reviewed_on="2025-02-17"),
    )
    assert response.status_code == 200
    assert "The statement cannot be reviewed before it was prepared." in errors(response)


@pytest.mark.parametrize(
    "path",
    [
        reverse("login"),
        STATEMENT,
        "/no-such-page/",
        reverse("opendata:index"),
        reverse("public:home"),
        reverse("public:plans"),
    ],
)
def test_every_page_a_visitor_reaches_without_signing_in_links_the_statement(client, world, path):
    update_council_settings(values={"public_pages": True})
    page = client.get(path).content.decode()
    assert FOOTER_LINK in page, path


def test_signed_in_pages_link_the_statement(client, world):
    client.force_login(world.member)
    assert FOOTER_LINK in client.get(reverse("portal:home")).content.decode()


def test_the_statement_costs_no_query_once_the_settings_are_cached(
    client, world, django_assert_num_queries
):
    statement(client)
    with django_assert_num_queries(0):
        statement(client)


@pytest.mark.parametrize(
    "name", ["api:docs", "api:redoc", "api:service-list"], ids=["swagger", "redoc", "browsable"]
)
def test_the_developers_pages_link_the_statement(client, world, name):
    client.force_login(world.member)
    page = client.get(reverse(name), HTTP_ACCEPT="text/html").content.decode()
    assert f'<a href="{STATEMENT}">Accessibility statement</a>' in page


def test_the_server_error_page_links_the_statement():
    assert f'<a href="{STATEMENT}">Accessibility statement</a>' in render_to_string("500.html")
