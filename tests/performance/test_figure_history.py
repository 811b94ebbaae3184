"""Every change to a figure is kept, whichever way it came (grid, upload, import command,
admin), with who, when and the figure before; a change to a signed-off figure makes it
provisional again, in the same transaction. Bad input is refused the same way by every route,
and then nothing is written: no figure, no history, the sign-off kept."""

import datetime
import re
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from performance.models import Actual, FigureChange, FigureSignOff
from performance.services import import_actuals
from tests import factories
from tests.helpers import csv_bytes

pytestmark = pytest.mark.django_db
AUGUST = datetime.date(2012, 8, 31)


@pytest.fixture
def indicator(world):
    """A monthly percentage of service A with a 2012/13 target of 90."""
    made = factories.IndicatorFactory(code="LPI LI01", service=world.service_a)
    factories.TargetFactory(indicator=made, year=world.year, value=D("90"))
    return made


@pytest.fixture
def signed_off_figure(world, indicator):
    """August's figure, 92, entered and signed off by the head of service."""
    factories.ActualFactory(indicator=indicator, value=D("92"), commentary="On track")
    return FigureSignOff.objects.create(service=world.service_a, period_end=AUGUST, by=world.head)


# The four routes, each given a user, an indicator and a figure ("95", or "150" to refuse).


def by_grid(client, user, indicator, value):
    client.force_login(user)
    url = reverse("performance:figures-entry", args=[indicator.service_id, "2012-08"])
    page = client.get(url).content.decode()
    base = re.search(r'name="base" value="([0-9a-f]+)"', page).group(1)
    prefix = f"i{indicator.pk}"
    data = {
        "base": base,
        f"{prefix}-value": value,
        f"{prefix}-state": "verified",
        f"{prefix}-commentary": "Typed in the grid",
        f"{prefix}-forecast_outturn": "",
    }
    return client.post(url, data)


def _file(indicator, value) -> bytes:
    return csv_bytes(
        "code,period_end,value,state,commentary", f"{indicator.code},2012-08,{value},,Filed"
    )


def by_upload(client, user, indicator, value):
    client.force_login(user)
    upload = SimpleUploadedFile("f.csv", _file(indicator, value), content_type="text/csv")
    return client.post(reverse("performance:figures-upload"), {"file": upload})


def by_command(client, user, indicator, value):
    import tempfile
    from pathlib import Path

    path = Path(tempfile.mkdtemp()) / "f.csv"
    path.write_bytes(_file(indicator, value))
    try:
        call_command("import_actuals", str(path), entered_by=user.username, stdout=_Sink())
    except Exception as error:  # CommandError: the file refused
        return error
    return None


class _Sink:
    def write(self, *_):
        pass

    def flush(self):
        pass


def by_admin(client, user, indicator, value):
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    actual = Actual.objects.filter(indicator=indicator, period_end=AUGUST).first()
    url = (
        reverse("admin:performance_actual_change", args=[actual.pk])
        if actual
        else reverse("admin:performance_actual_add")
    )
    data = {
        "indicator": indicator.pk,
        "period_end": "2012-08",
        "value": value,
        "state": "verified",
        "commentary": "By the admin",
        "forecast_outturn": "",
    }
    return client.post(url, data)


ROUTES = {
    "grid": by_grid,
    "upload": by_upload,
    "import": by_command,
    "admin": by_admin,
}


@pytest.mark.parametrize("route", ROUTES)
def test_every_route_keeps_the_change_with_the_figure_before(client, world, indicator, route):
    factories.ActualFactory(indicator=indicator, value=D("92"), commentary="On track")
    ROUTES[route](client, world.officer_a, indicator, "95")
    assert Actual.objects.get().value == D("95")
    change = FigureChange.objects.get()
    assert (change.route, change.by, change.indicator, change.period_end) == (
        route,
        world.officer_a,
        indicator,
        AUGUST,
    )
    assert (change.previous_value, change.previous_state, change.previous_commentary) == (
        D("92"),
        "verified",
        "On track",
    )
    assert (change.value, change.state) == (D("95"), "verified")
    assert not change.withdrew_sign_off


@pytest.mark.parametrize("route", ROUTES)
def test_a_new_figure_has_no_previous_state(client, world, indicator, route):
    ROUTES[route](client, world.officer_a, indicator, "95")
    change = FigureChange.objects.get()
    assert change.is_new and change.previous_value is None
    assert change.value == D("95")


@pytest.mark.parametrize("route", ROUTES)
def test_a_change_after_sign_off_makes_the_figures_provisional_again(
    client, world, indicator, signed_off_figure, route
):
    ROUTES[route](client, world.officer_a, indicator, "95")
    assert not FigureSignOff.objects.exists()
    change = FigureChange.objects.get()
    assert change.withdrew_sign_off
    assert (change.withdrew_sign_off_by, change.withdrew_sign_off_at) == (
        world.head,
        signed_off_figure.at,
    )


@pytest.mark.parametrize("route", ROUTES)
def test_a_figure_out_of_range_is_refused_and_nothing_is_written(
    client, world, indicator, signed_off_figure, route
):
    outcome = ROUTES[route](client, world.officer_a, indicator, "150")
    if route == "import":
        assert "150 is not a possible figure for LPI LI01" in str(outcome)
    else:
        assert "150 is not a possible figure for LPI LI01" in outcome.content.decode()
    assert Actual.objects.get().value == D("92")
    assert not FigureChange.objects.exists()
    assert FigureSignOff.objects.filter(pk=signed_off_figure.pk).exists()


def test_a_change_elsewhere_leaves_the_sign_off(client, world, indicator, signed_off_figure):
    """Another period, and another service's figures, do not touch this sign-off."""
    other = factories.IndicatorFactory(service=world.service_b)
    factories.ActualFactory(indicator=other, value=D("50"))
    by_command(client, world.admin, other, "95")
    factories.ActualFactory(indicator=indicator, period_end=datetime.date(2012, 7, 31))
    client.force_login(world.officer_a)
    by_upload(
        client,
        world.officer_a,
        indicator,
        "95",
    )  # August itself changes: withdrawn
    assert not FigureSignOff.objects.exists()


def test_saving_the_same_figure_again_records_nothing(client, world, indicator, signed_off_figure):
    by_admin(client, world.admin, indicator, "92")  # commentary differs: a change
    assert FigureChange.objects.count() == 1
    FigureSignOff.objects.create(service=world.service_a, period_end=AUGUST, by=world.head)
    by_admin(client, world.admin, indicator, "92")  # nothing differs now
    assert FigureChange.objects.count() == 1
    assert FigureSignOff.objects.exists()


def test_an_import_without_a_forecast_column_keeps_the_forecast(world, indicator):
    factories.ActualFactory(indicator=indicator, value=D("92"), forecast_outturn=D("93"))
    import_actuals(content=_file(indicator, "95"), filename="f.csv")
    change = FigureChange.objects.get()
    assert (change.previous_forecast_outturn, change.forecast_outturn) == (D("93"), D("93"))
    assert change.route == FigureChange.Route.IMPORT and change.by is None


def test_deleting_a_figure_in_the_admin_is_recorded(client, world, indicator, signed_off_figure):
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    actual = Actual.objects.get()
    url = reverse("admin:performance_actual_delete", args=[actual.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Actual.objects.exists()
    change = FigureChange.objects.get()
    assert change.is_deletion and change.previous_value == D("92")
    assert change.withdrew_sign_off and not FigureSignOff.objects.exists()


def test_the_indicator_inline_records_its_figures(client, world, indicator):
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    actual = factories.ActualFactory(indicator=indicator, value=D("92"))
    url = reverse("admin:performance_indicator_change", args=[indicator.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data.update(
        {
            "code": indicator.code,
            "title": indicator.title,
            "service": indicator.service_id,
            "indicator_type": indicator.indicator_type,
            "polarity": indicator.polarity,
            "frequency": indicator.frequency,
            "unit": indicator.unit,
            "decimal_places": indicator.decimal_places,
            "targets-TOTAL_FORMS": "0",
            "targets-INITIAL_FORMS": "0",
            "actuals-TOTAL_FORMS": "1",
            "actuals-INITIAL_FORMS": "1",
            "actuals-0-id": actual.pk,
            "actuals-0-indicator": indicator.pk,
            "actuals-0-period_end": "2012-08",
            "actuals-0-value": "88",
            "actuals-0-state": "verified",
            "actuals-0-commentary": "Lower this month",
            "actuals-0-forecast_outturn": "",
        }
    )
    data.pop("priorities", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    change = FigureChange.objects.get()
    assert (change.previous_value, change.value, change.route, change.by) == (
        D("92"),
        D("88"),
        "admin",
        world.admin,
    )


# The history page ------------------------------------------------------------------------------


def history_url(indicator):
    return reverse("performance:figure-history", args=[indicator.pk])


def test_the_history_shows_each_change_with_who_and_the_figure_before(client, world, indicator):
    factories.ActualFactory(indicator=indicator, value=D("92"), commentary="On track")
    by_grid(client, world.officer_a, indicator, "95")
    by_upload(client, world.officer_a, indicator, "96")
    client.force_login(world.head)
    page = client.get(history_url(indicator)).content.decode()
    assert "August 2012" in page
    assert "Data-entry grid" in page and "Upload" in page
    assert "92.0% → <strong>95.0%</strong>" in page
    assert "95.0% → <strong>96.0%</strong>" in page
    assert page.index("96.0%") < page.index("92.0% →"), "newest first"
    assert world.officer_a.get_full_name() in page
    assert "Provisional: not signed off." in page


def test_the_history_says_a_change_withdrew_the_sign_off(
    client, world, indicator, signed_off_figure
):
    by_grid(client, world.officer_a, indicator, "95")
    page = client.get(history_url(indicator)).content.decode()
    assert f"Withdrew the sign-off by {world.head.get_full_name()}" in page


def test_the_grid_and_the_service_page_link_to_the_history(client, world, indicator):
    factories.ServicePlanFactory(
        service=world.service_a, year=world.year, version=2, published=True
    )
    factories.ActualFactory(indicator=indicator)
    client.force_login(world.officer_a)
    grid = reverse("performance:figures-entry", args=[world.service_a.pk, "2012-08"])
    assert history_url(indicator) in client.get(grid).content.decode()
    service = reverse("portal:service", args=[world.service_a.pk]) + "?year=2012&as_at=2012-08"
    assert history_url(indicator) in client.get(service).content.decode()
    client.force_login(world.member)
    assert history_url(indicator) not in client.get(service).content.decode()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("admin", 200), ("head", 200), ("officer_a", 200), ("officer_b", 404), ("member", 403)],
)
def test_only_those_who_enter_the_figures_read_their_history(
    client, world, indicator, persona, expected
):
    client.force_login(world.persona(persona))
    assert client.get(history_url(indicator)).status_code == expected


def test_the_history_page_does_not_grow_queries_with_changes(client, world, indicator):
    client.force_login(world.officer_a)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(history_url(indicator)).status_code == 200
        return len(captured)

    by_grid(client, world.officer_a, indicator, "95")
    client.force_login(world.officer_a)
    few = count()
    for value in ("96", "97", "98"):
        by_upload(client, world.head, indicator, value)
    months = "".join(f"{indicator.code},2012-{month:02d},9{month},,\n" for month in (4, 5, 6, 7))
    import_actuals(
        content=f"code,period_end,value,state,commentary\n{months}".encode(), filename="f.csv"
    )
    FigureSignOff.objects.create(service=world.service_a, period_end=AUGUST, by=world.head)
    client.force_login(world.officer_a)
    assert FigureChange.objects.count() == 8
    assert count() == few


def test_the_admin_lists_the_history_read_only_and_the_sign_offs(
    client, world, indicator, signed_off_figure
):
    by_grid(client, world.officer_a, indicator, "95")
    FigureSignOff.objects.create(service=world.service_a, period_end=AUGUST, by=world.head)
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    for model in ("figurechange", "figuresignoff"):
        assert client.get(reverse(f"admin:performance_{model}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:performance_{model}_add")).status_code == 403
    change = FigureChange.objects.get()
    url = reverse("admin:performance_figurechange_change", args=[change.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="value"' not in page.content.decode()
    assert client.post(url, {"value": "1"}).status_code == 403
