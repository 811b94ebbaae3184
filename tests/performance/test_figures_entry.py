"""Officers enter figures in the browser: the grid per service and period, and the upload."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from performance.models import Actual
from tests import factories

pytestmark = pytest.mark.django_db
AUGUST = "2012-08"


@pytest.fixture
def indicators(world):
    """Two monthly indicators of service A with 2012/13 targets of 90 (higher is better)."""
    made = []
    for code in ("LPI LI01", "LPI LI02"):
        indicator = factories.IndicatorFactory(code=code, service=world.service_a)
        factories.TargetFactory(indicator=indicator, year=world.year, value=Decimal("90"))
        made.append(indicator)
    return made


def grid_url(world, period=AUGUST):
    return reverse("performance:figures-entry", args=[world.service_a.pk, period])


def open_grid(client, world):
    response = client.get(grid_url(world))
    assert response.status_code == 200
    return re.search(r'name="base" value="([0-9a-f]+)"', response.content.decode()).group(1)


def row(indicator, value="", state="verified", commentary="", forecast=""):
    prefix = f"i{indicator.pk}"
    return {
        f"{prefix}-value": value,
        f"{prefix}-state": state,
        f"{prefix}-commentary": commentary,
        f"{prefix}-forecast_outturn": forecast,
    }


def test_officer_enters_figures_and_sees_the_status(client, world, indicators):
    client.force_login(world.officer_a)
    base = open_grid(client, world)
    data = {"base": base, **row(indicators[0], "95", forecast="93"), **row(indicators[1])}
    response = client.post(grid_url(world), data, follow=True)
    page = response.content.decode()
    assert "1 figure saved" in page
    assert "✓</span> Green" in page
    actual = Actual.objects.get()
    assert (actual.indicator, actual.value, actual.forecast_outturn, actual.entered_by) == (
        indicators[0],
        Decimal("95"),
        Decimal("93"),
        world.officer_a,
    )
    assert actual.period_end == datetime.date(2012, 8, 31)


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"value": "70"}, "commentary", "This figure is red against its target"),
        ({"state": "awaited"}, "commentary", "Say why the figure is awaited"),
        (
            {"state": "awaited", "value": "95", "commentary": "Late"},
            "value",
            "An awaited figure has no value",
        ),
        ({"value": "abc"}, "value", "Enter a number"),
        ({"commentary": "No figure yet"}, "value", "Enter the figure, or choose"),
    ],
)
def test_bad_figures_are_explained_and_nothing_is_saved(
    client, world, indicators, typed, field, message
):
    client.force_login(world.officer_a)
    base = open_grid(client, world)
    data = {"base": base, **row(indicators[0], **typed), **row(indicators[1], "99")}
    response = client.post(grid_url(world), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert f'href="#id_i{indicators[0].pk}-{field}"' in page
    assert message in page
    assert not Actual.objects.exists(), "the good row is not saved either"


def test_red_figure_with_commentary_and_awaited_with_reason_are_saved(client, world, indicators):
    client.force_login(world.officer_a)
    base = open_grid(client, world)
    data = {
        "base": base,
        **row(indicators[0], "70", commentary="Two staff vacancies."),
        **row(indicators[1], state="awaited", commentary="Data due from Kent on 10 Sept."),
    }
    assert client.post(grid_url(world), data).status_code == 302
    assert Actual.objects.count() == 2
    assert Actual.objects.get(indicator=indicators[1]).value is None


def test_a_colleagues_figures_saved_meanwhile_are_not_overwritten(client, world, indicators):
    client.force_login(world.officer_a)
    stale = open_grid(client, world)
    factories.ActualFactory(indicator=indicators[0], value=Decimal("91"), commentary="Theirs")
    data = {"base": stale, **row(indicators[0], "88", commentary="Mine"), **row(indicators[1])}
    response = client.post(grid_url(world), data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved figures" in page
    assert "Theirs" in page and "Mine" in page
    assert Actual.objects.get().value == Decimal("91")


def test_the_grid_does_not_grow_queries_with_indicators(client, world, indicators):
    client.force_login(world.officer_a)

    def count():
        with CaptureQueriesContext(connection) as captured:
            client.get(grid_url(world))
        return len(captured)

    few = count()
    for _ in range(6):
        indicator = factories.IndicatorFactory(service=world.service_a)
        factories.TargetFactory(indicator=indicator, year=world.year)
        factories.ActualFactory(indicator=indicator, period_end=datetime.date(2012, 7, 31))
    assert count() == few


@pytest.mark.parametrize(
    ("persona", "expected"), [("officer_b", 404), ("member", 403), ("head", 200)]
)
def test_only_the_services_editors_open_its_grid(client, world, indicators, persona, expected):
    client.force_login(world.persona(persona))
    assert client.get(grid_url(world)).status_code == expected


@pytest.mark.parametrize("period", ["2091-03", "2099-03", "nonsense", "2012-13"])
def test_periods_not_ended_or_not_set_up_are_404(client, world, indicators, period):
    factories.FinancialYearFactory(start_year=2090)  # set up, but March 2091 is to come
    client.force_login(world.officer_a)
    assert client.get(grid_url(world, period)).status_code == 404


def upload(client, content: bytes, name="figures.csv"):
    return client.post(
        reverse("performance:figures-upload"),
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def test_upload_imports_the_officers_figures(client, world, indicators):
    client.force_login(world.officer_a)
    content = (
        b"code,period_end,value,state,commentary\n"
        b"LPI LI01,2012-08,95,verified,\n"
        b"LPI LI02,2012-08,,awaited,Due on 10 September\n"
    )
    response = upload(client, content)
    assert response.status_code == 302
    assert Actual.objects.count() == 2
    assert set(Actual.objects.values_list("entered_by", flat=True)) == {world.officer_a.pk}


def test_upload_with_a_bad_row_lists_every_problem_and_saves_nothing(client, world, indicators):
    other = factories.IndicatorFactory(code="FIN 01", service=world.service_b)
    client.force_login(world.officer_a)
    content = (
        "code,period_end,value,state,commentary\n"
        "LPI LI01,2012-08,95,verified,\n"
        "LPI LI02,2012-07-15,ninety,verified,\n"
        f"{other.code},2012-08,5,verified,\n"
    ).encode()
    response = upload(client, content)
    page = response.content.decode()
    assert response.status_code == 200
    assert "nothing was saved" in page
    assert "belongs to Finance, whose figures you do not enter" in page
    assert "<td>3</td><td>period_end</td>" in page
    assert "<td>3</td><td>value</td>" in page
    assert not Actual.objects.exists()


def test_upload_refuses_a_file_over_the_limit(client, world, settings):
    settings.IMPORT_MAX_BYTES = 10
    client.force_login(world.officer_a)
    response = upload(client, b"code,period_end,value,state,commentary\n")
    assert "the limit is 10" in response.content.decode()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("LPI LI01,2012-08,50,verified,", "red against its target"),  # 90 is the target
        ("LPI LI01,2012-08,50,estimate,  ", "red against its target"),
        ("LPI LI01,2012-08,,awaited,", "say why the figure is awaited"),
        ("LPI LI01,2012-08,,,", "say why the figure is awaited"),
    ],
)
def test_upload_refuses_a_red_or_awaited_figure_without_commentary(
    client, world, indicators, line, message
):
    client.force_login(world.officer_a)
    content = f"code,period_end,value,state,commentary\nLPI LI02,2012-08,95,,\n{line}\n"
    response = upload(client, content.encode())
    page = response.content.decode()
    assert response.status_code == 200
    assert "<td>3</td><td>commentary</td>" in page
    assert message in page
    assert not Actual.objects.exists()


def test_upload_accepts_a_red_figure_with_its_reason_and_an_amber_one_without(
    client, world, indicators
):
    client.force_login(world.officer_a)
    content = (
        b"code,period_end,value,state,commentary\n"
        b"LPI LI01,2012-08,50,verified,Staff shortage; agency cover from October\n"
        b"LPI LI02,2012-08,85,verified,\n"
    )
    assert upload(client, content).status_code == 302
    assert Actual.objects.count() == 2
