"""The council's settings: kept in the database, edited by administrators on the settings page,
read through one cached function by every page, report, email and due date."""

import datetime
import io
import logging

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from organisation import council, reporting_calendar
from organisation.colours import colour_problem, contrast_with_white
from organisation.models import CouncilSettings
from organisation.services import Logo, update_council_settings
from reports.base import get_report
from tests.conftest import TEST_COUNCIL_NAME
from tests.reports.conftest import pdf_pages

pytestmark = pytest.mark.django_db

URL = reverse("organisation:council-settings")


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 4), (29, 78, 137)).save(buffer, format="PNG")
    return buffer.getvalue()


def form_data(**changes) -> dict:
    data = {
        "name": "Kentish Weald District Council",
        "report_colour": "#1d4e89",
        "contact_email": "performance@weald.example",
        "contact_phone": "01732 000000",
        "contact_address": "Council Offices\nArgyle Road",
        "monitoring_cadence": "half-yearly",
        "figures_due_working_days": "10",
        "bank_holidays": "england-and-wales",
    }
    return {**data, **changes}


def settings_queries(captured) -> list[str]:
    return [
        q["sql"] for q in captured.captured_queries if "organisation_councilsettings" in q["sql"]
    ]


def errors(response) -> str:
    return " ".join(str(e) for field in response.context["form"].errors.values() for e in field)


# --- Reading: once, then from the cache -------------------------------------------------------


def test_pages_read_the_settings_once_then_from_the_cache(client, world):
    update_council_settings(values={"name": "Kentish Weald District Council"})
    cache.clear()
    client.force_login(world.officer_a)
    with CaptureQueriesContext(connection) as first:
        assert client.get(reverse("portal:home")).status_code == 200
    with CaptureQueriesContext(connection) as second:
        page = client.get(reverse("portal:home"))
    assert len(settings_queries(first)) == 1
    assert settings_queries(second) == []
    assert len(second) == len(first) - 1  # the settings were the only difference
    assert "Kentish Weald District Council · Service plans" in page.content.decode()


def test_saving_empties_the_cache_so_the_next_read_sees_the_new_values(world):
    update_council_settings(values={"name": "Old Name Council", "figures_due_working_days": 10})
    assert council.council_settings().name == "Old Name Council"  # cached now
    update_council_settings(values={"name": "New Name Council", "figures_due_working_days": 5})
    assert council.council_settings().name == "New Name Council"
    # The reporting calendar reads the same settings: 5 working days after Friday 31 August
    # 2012 (Monday 27 August was the bank holiday) is Friday 7 September.
    assert reporting_calendar.figure_due_date(datetime.date(2012, 8, 31)) == datetime.date(
        2012, 9, 7
    )


def test_until_the_page_is_saved_the_environment_gives_the_first_values(settings, world):
    settings.COUNCIL_NAME = "From The Environment Council"
    settings.MONITORING_CADENCE = "quarterly"
    assert not CouncilSettings.objects.exists()
    first = council.council_settings()
    assert (first.name, first.monitoring_cadence, first.saved) == (
        "From The Environment Council",
        "quarterly",
        False,
    )
    update_council_settings(values={"report_colour": "#000000"})
    saved = CouncilSettings.objects.get()
    assert (saved.name, saved.monitoring_cadence, saved.report_colour) == (
        "From The Environment Council",
        "quarterly",
        "#000000",
    )


def test_there_is_only_ever_one_row(world):
    from django.db import IntegrityError, transaction

    update_council_settings(values={"name": "One Council"})
    with pytest.raises(IntegrityError), transaction.atomic():
        CouncilSettings.objects.create(id=2, name="Another Council")


# --- The settings page --------------------------------------------------------------------


def test_the_administrator_saves_the_settings_and_every_page_shows_them(client, world):
    client.force_login(world.admin)
    page = client.get(URL)
    assert page.status_code == 200
    assert page.context["form"]["name"].value() == TEST_COUNCIL_NAME  # the first value
    response = client.post(URL, form_data(), follow=True)
    html = response.content.decode()
    assert "The council&#x27;s settings are saved." in html
    assert "Kentish Weald District Council · Service plans" in html
    accessibility = client.get(reverse("portal:accessibility")).content.decode()
    assert "run by Kentish Weald District Council" in accessibility
    assert 'href="mailto:performance@weald.example"' in accessibility
    assert "01732 000000" in accessibility and "Council Offices<br>Argyle Road" in accessibility


def test_the_header_links_administrators_to_the_settings(client, world):
    client.force_login(world.admin)
    assert f'href="{URL}"' in client.get(reverse("portal:home")).content.decode()
    client.force_login(world.head)
    assert f'href="{URL}"' not in client.get(reverse("portal:home")).content.decode()


@pytest.mark.parametrize(
    "colour, contrast",
    [("#ffcc00", "1.51:1"), ("#777777", "4.47:1"), ("#1d4e8a", None), ("#767676", None)],
)
def test_a_colour_too_light_for_white_text_is_refused_saying_why(client, world, colour, contrast):
    client.force_login(world.admin)
    response = client.post(URL, form_data(report_colour=colour))
    if contrast is None:
        assert response.status_code == 302
        assert CouncilSettings.objects.get().report_colour == colour
        return
    assert response.status_code == 200
    assert f"their contrast is {contrast}" in errors(response)
    assert "at least 4.5:1" in errors(response)
    assert not CouncilSettings.objects.exists()


def test_contrast_is_wcags():
    assert contrast_with_white("#000000") == pytest.approx(21)
    assert contrast_with_white("#ffffff") == pytest.approx(1)
    assert colour_problem("#767676") == ""  # the lightest grey that passes
    assert "is not a colour" in colour_problem("navy")


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("logo.png", b"This is a text file, not an image.\n", "is not really a PNG file"),
        ("logo.jpg", png(), "is not really a JPG file"),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "is not a PNG or JPEG image",
        ),
        ("logo.pdf", b"%PDF-1.7\n", "is not a PNG or JPEG image"),
    ],
)
def test_a_logo_that_is_not_a_png_or_jpeg_is_refused(client, world, name, content, message):
    client.force_login(world.admin)
    response = client.post(URL, {**form_data(), "logo_file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert message in errors(response)
    assert not CouncilSettings.objects.exists()


def test_a_png_logo_is_kept_printed_on_reports_and_can_be_removed(client, world):
    client.force_login(world.admin)
    logo = png()
    upload = SimpleUploadedFile("crest.png", logo)
    assert client.post(URL, {**form_data(), "logo_file": upload}).status_code == 302
    row = CouncilSettings.objects.get()
    assert (bytes(row.logo), row.logo_type) == (logo, "image/png")
    assert council.council_logo_data_uri() == council.data_uri(logo, "image/png")
    assert 'src="data:image/png;base64,' in client.get(URL).content.decode()  # shown
    # Saving other fields keeps the logo; ticking "Remove the logo" removes it.
    client.post(URL, form_data(name="Renamed Council"))
    assert bytes(CouncilSettings.objects.get().logo) == logo
    client.post(URL, {**form_data(), "remove_logo": "on"})
    assert CouncilSettings.objects.get().logo_type == ""
    assert council.council_logo_data_uri() == ""


def test_a_rendered_report_prints_the_name_colour_logo_and_contact(client, world, settings):
    settings.REPORTS_WORKER = "process"
    update_council_settings(
        values={
            "name": "Kentish Weald District Council",
            "report_colour": "#5b2a86",
            "contact_email": "performance@weald.example",
        },
        logo=Logo(png(), "image/png"),
    )
    report = get_report("kpi-booklet").from_form_data({"year": "2012", "as_at": "2012-08"})
    html = report.html()
    assert "--brand: #5b2a86;" in html
    assert 'src="data:image/png;base64,' in html
    pages = pdf_pages(report.render().content)
    assert "Kentish Weald District Council" in pages[0]
    assert "performance@weald.example" in pages[0]


def test_changes_are_in_the_security_log_old_to_new_without_the_logos_bytes(client, world, caplog):
    caplog.set_level(logging.INFO, logger="serviceplans.security")
    client.force_login(world.admin)
    client.post(URL, form_data())  # the first save: from the environment's values
    caplog.clear()
    client.post(
        URL,
        {
            **form_data(report_colour="#000000", figures_due_working_days="5"),
            "logo_file": SimpleUploadedFile("crest.png", png()),
        },
    )
    (record,) = [r for r in caplog.records if getattr(r, "event", "") == "council_settings_changed"]
    assert record.facts["username"] == "admin"
    assert record.facts["changed"] == {
        "report_colour": ["#1d4e89", "#000000"],
        "figures_due_working_days": [10, 5],
        "logo": f"new image/png image, {len(png())} bytes",
    }
    assert "base64" not in record.getMessage() and "PNG" not in record.getMessage()
    caplog.clear()
    client.post(URL, form_data(report_colour="#000000", figures_due_working_days="5"))
    assert not [r for r in caplog.records if getattr(r, "event", "") == "council_settings_changed"]


# --- A new install names no council ---------------------------------------------------------


def test_a_new_install_names_no_council_and_asks_its_first_administrator(client, world, settings):
    settings.COUNCIL_NAME = ""
    home = reverse("portal:home")
    client.force_login(world.officer_a)
    page = client.get(home).content.decode()
    title = page.split("<title>")[1].split("</title>")[0]
    assert "–" not in title  # no "– <council>" after the page's title
    assert ">Service plans</a>" in page
    assert "Sevenoaks" not in page and "Council" not in page.split("<main")[0]
    assert "Council" not in page.split("<footer")[1]
    client.force_login(world.member)
    assert client.get(home).status_code == 200
    client.force_login(world.admin)
    response = client.get(home)
    assert response.status_code == 302 and response.url == URL
    assert client.get(reverse("portal:committee-list")).url == URL
    asked = client.get(URL).content.decode()
    assert "first, the council's name" in asked
    assert client.post(URL, form_data(name="")).status_code == 200  # a name is required
    client.post(URL, form_data(name="  Kentish   Weald  Council "))
    assert CouncilSettings.objects.get().name == "Kentish Weald Council"
    assert client.get(home).status_code == 200


def test_a_page_reads_the_settings_from_the_cache_once(client, world, monkeypatch):
    """The middleware, the header and the footer each ask for the settings: one round trip."""
    reads = []
    real_get = council.cache.get

    def counting_get(key, *args, **kwargs):
        reads.append(key)
        return real_get(key, *args, **kwargs)

    client.force_login(world.member)
    client.get(reverse("portal:home"))
    monkeypatch.setattr(council.cache, "get", counting_get)
    assert client.get(reverse("portal:home")).status_code == 200
    assert reads.count(council.CACHE_KEY) == 1


def test_settings_saved_during_a_request_are_read_again_in_it(world):
    """The copy kept for the request is dropped when the settings are saved."""
    with council.read_once_per_request():
        before = council.council_settings().name
        update_council_settings(values={"name": "Renamed Council"})
        assert council.council_settings().name == "Renamed Council" != before
    # Outside a request nothing is kept: each read asks the cache.
    assert council._this_request.get() is None


def test_the_demo_names_its_council(demo_council):
    assert CouncilSettings.objects.get().name == "Sevenoaks District Council"
    assert council.council_settings().name == "Sevenoaks District Council"
