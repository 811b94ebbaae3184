"""A figure an indicator cannot have is refused, whichever way it is entered: 150% or -5
complaints never reach members as a verified figure."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from performance.models import Actual
from performance.rules import ValidRange
from tests import factories
from tests.performance.test_figures_entry import AUGUST, grid_url, open_grid, row, upload

D = Decimal


@pytest.mark.parametrize(
    ("unit", "lowest", "highest", "value", "valid"),
    [
        ("%", None, None, D("0"), True),
        ("%", None, None, D("100"), True),
        ("%", None, None, D("-0.01"), False),
        ("%", None, None, D("100.01"), False),
        ("%", None, None, D("150"), False),
        (" % ", None, None, D("50"), True),
        ("%", D("-100"), None, D("-20"), True),  # a percentage change
        ("%", None, D("200"), D("150"), True),
        ("number", None, None, D("0"), True),
        ("number", None, None, D("-5"), False),
        ("Days", None, None, D("-1"), False),
        ("days", None, None, D("1000"), True),
        ("£", None, None, D("-5"), True),
        ("per 1,000", None, None, D("-5"), True),
        ("", None, None, D("-5"), True),
        ("", D("1"), D("5"), D("1"), True),
        ("", D("1"), D("5"), D("5"), True),
        ("", D("1"), D("5"), D("0.99"), False),
        ("", D("1"), D("5"), D("5.01"), False),
    ],
)
def test_the_valid_range(unit, lowest, highest, value, valid):
    assert (value in ValidRange.of(unit=unit, lowest=lowest, highest=highest)) is valid


@pytest.mark.parametrize(
    ("unit", "lowest", "highest", "said"),
    [
        ("%", None, None, "0 to 100"),
        ("days", None, None, "0 or more"),
        ("£", None, D("10.50"), "10.5 or less"),
        ("£", None, None, "any figure"),
    ],
)
def test_the_range_says_itself(unit, lowest, highest, said):
    assert str(ValidRange.of(unit=unit, lowest=lowest, highest=highest)) == said


MESSAGE = "150 is not a possible figure for LPI LI01 in August 2012: it must be 0 to 100."


@pytest.fixture
def indicator(world):
    indicator = factories.IndicatorFactory(code="LPI LI01", service=world.service_a, unit="%")
    factories.TargetFactory(indicator=indicator, year=world.year, value=90)
    return indicator


@pytest.mark.django_db
def test_the_grid_refuses_150_percent(client, world, indicator):
    client.force_login(world.officer_a)
    data = {"base": open_grid(client, world), **row(indicator, value="150")}
    response = client.post(grid_url(world), data)
    assert MESSAGE in response.content.decode()
    assert not Actual.objects.exists()


@pytest.mark.django_db
def test_the_upload_refuses_150_percent(client, world, indicator):
    client.force_login(world.officer_a)
    content = f"code,period_end,value,state,commentary\nLPI LI01,{AUGUST},150,verified,\n"
    page = upload(client, content.encode()).content.decode()
    assert "<td>2</td><td>value</td>" in page and MESSAGE[:-1] in page
    assert not Actual.objects.exists()


@pytest.mark.django_db
def test_the_import_command_refuses_150_percent(world, indicator, tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text(f"code,period_end,value,state,commentary\nLPI LI01,{AUGUST},150,,\n")
    with pytest.raises(CommandError, match="is not a possible figure for LPI LI01"):
        call_command("import_actuals", str(path))
    assert not Actual.objects.exists()


@pytest.mark.django_db
def test_an_indicator_may_set_its_own_range(client, world, indicator):
    indicator.highest_valid = Decimal(200)
    indicator.save()
    client.force_login(world.officer_a)
    data = {"base": open_grid(client, world), **row(indicator, value="150")}
    assert client.post(grid_url(world), data).status_code == 302
    assert Actual.objects.get().value == Decimal(150)


@pytest.mark.django_db
def test_the_admin_refuses_150_percent(client, indicator):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    data = {
        "indicator": indicator.pk,
        "period_end": "2012-08-31",
        "value": "150",
        "state": "verified",
        "forecast_outturn": "",
        "commentary": "",
    }
    response = client.post(reverse("admin:performance_actual_add"), data)
    assert response.status_code == 200
    assert "is not a possible figure for LPI LI01" in response.content.decode()
    assert not Actual.objects.exists()
