import datetime
from decimal import Decimal

import pytest

from tests import factories

# A word only service A's 2012/13 draft plan carries: nobody who may not read the draft (a
# member, service B's officer) ever sees it in any answer of the API.
MARKER = "Quixotically"


class ApiWorld:
    """The World, with things to read: service A's draft with the marker, its published plan
    with progress, and an indicator of each service with figures in both years."""

    def __init__(self, world):
        self.world = world
        world.service_a.code, world.service_b.code = "LIC", "FIN"
        world.service_a.save()
        head = world.service_a.head_of_service
        head.directorate = factories.DirectorateFactory(name="Place")
        head.save()
        world.service_b.save()
        factories.CommitteeReviewFactory(service=world.service_a, committee=world.cabinet)
        factories.ActionFactory(plan=world.plan_a, title=f"{MARKER} reorganise the counter")
        self.published_action = factories.ActionFactory(
            plan=world.published_a, title="Publish the licensing register"
        )
        factories.RiskFactory(plan=world.published_a)
        factories.ProgressUpdateFactory(
            item=self.published_action, commentary="Half done.", percent_complete=50
        )
        self.indicator_a = factories.IndicatorFactory(code="LIC 01", service=world.service_a)
        self.indicator_b = factories.IndicatorFactory(code="FIN 01", service=world.service_b)
        for indicator in (self.indicator_a, self.indicator_b):
            for year, month_end in ((world.year, (2012, 8, 31)), (world.last_year, (2012, 3, 31))):
                factories.TargetFactory(indicator=indicator, year=year, value=Decimal("90"))
                factories.ActualFactory(
                    indicator=indicator,
                    period_end=datetime.date(*month_end),
                    value=Decimal("95.5"),
                )


@pytest.fixture
def api_world(world):
    return ApiWorld(world)
