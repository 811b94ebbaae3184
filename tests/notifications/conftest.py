import pytest

from organisation.reporting_calendar import month_end
from tests import factories


@pytest.fixture
def late_figures(world, settings):
    """Licensing (officer_a edits it, head leads it) has one monthly indicator with every
    figure of 2012/13 up to August entered and signed off, and September's not entered: due
    on Friday 12 October 2012 (ten working days after Sunday 30 September)."""
    from performance.models import FigureSignOff

    settings.FIGURES_DUE_WORKING_DAYS = 10
    settings.BANK_HOLIDAYS = "england-and-wales"
    indicator = factories.IndicatorFactory(service=world.service_a, code="LI01", first_year=2012)
    factories.TargetFactory(indicator=indicator, year=world.year)
    for month in range(4, 9):
        end = month_end(2012, month)
        factories.ActualFactory(indicator=indicator, period_end=end)
        FigureSignOff.objects.create(service=world.service_a, period_end=end, by=world.head)
    return indicator


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on: a mail server that is down."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
