"""A red or awaited figure must be explained, whichever way it is entered: the grid, the
upload, the import command and the admin all go through the same rule of the figures service,
and each refuses such a figure with a message and saves nothing."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from performance.models import Actual
from performance.periods import parse
from performance.services import FigureEntry, FiguresRefused, record_figures
from tests import factories
from tests.performance.test_figures_entry import AUGUST, grid_url, open_grid, row, upload

pytestmark = pytest.mark.django_db

RED = "50"  # against a target of 90, higher is better
RED_MESSAGE = "red against its target"


@pytest.fixture
def indicator(world):
    indicator = factories.IndicatorFactory(code="LPI LI01", service=world.service_a)
    factories.TargetFactory(indicator=indicator, year=world.year, value=90)
    return indicator


def through_the_grid(client, world, indicator, tmp_path) -> str:
    client.force_login(world.officer_a)
    data = {"base": open_grid(client, world), **row(indicator, value=RED)}
    response = client.post(grid_url(world), data)
    assert response.status_code == 200
    return response.content.decode()


def through_the_upload(client, world, indicator, tmp_path) -> str:
    client.force_login(world.officer_a)
    content = f"code,period_end,value,state,commentary\nLPI LI01,{AUGUST},{RED},verified,\n"
    response = upload(client, content.encode())
    assert response.status_code == 200
    return response.content.decode()


def through_the_command(client, world, indicator, tmp_path) -> str:
    path = tmp_path / "figures.csv"
    path.write_text(f"code,period_end,value,state,commentary\nLPI LI01,{AUGUST},{RED},,\n")
    with pytest.raises(CommandError) as refused:
        call_command("import_actuals", str(path))
    return str(refused.value)


def through_the_admin(client, world, indicator, tmp_path) -> str:
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    data = {
        "indicator": indicator.pk,
        "period_end": "2012-08-31",
        "value": RED,
        "state": "verified",
        "forecast_outturn": "",
        "commentary": "",
    }
    response = client.post(reverse("admin:performance_actual_add"), data)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "route", [through_the_grid, through_the_upload, through_the_command, through_the_admin]
)
def test_a_red_figure_without_commentary_is_refused_by_every_route(
    client, world, indicator, tmp_path, route
):
    said = route(client, world, indicator, tmp_path)
    assert RED_MESSAGE in said
    assert not Actual.objects.exists()


def test_the_service_itself_refuses_it(world, indicator):
    entry = FigureEntry(
        indicator=indicator,
        value=Decimal(RED),
        state="verified",
        commentary=" ",
        forecast_outturn=None,
    )
    with pytest.raises(FiguresRefused, match=RED_MESSAGE):
        record_figures(period=parse(AUGUST), entries=[entry], base="", entered_by=world.admin)
    assert not Actual.objects.exists()
