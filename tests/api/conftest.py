import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from reports.models import GeneratedReport
from tests import factories

# A word only service A's 2012/13 draft plan carries: nobody who may not read the draft (a
# member, service B's officer) ever sees it in any answer of the API.
MARKER = "Quixotically"


class ApiWorld:
    """The World, with things to read: service A's draft with the marker, its published plan
    with an objective, progress and a priority, an indicator of each service with figures in
    both years (service A's 2012/13 commentary, under its draft plan, with the marker), each
    head of service's resources for 2011/12, and reports: published ones, and one unpublished
    pack of the draft with the marker in its title."""

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
        self.priority = factories.PriorityFactory(code="P1", title="Safe streets")
        self.objective = factories.ObjectiveFactory(
            plan=world.published_a, title="A register residents trust", is_key=True
        )
        self.objective.priorities.add(self.priority)
        self.published_action = factories.ActionFactory(
            plan=world.published_a,
            objective=self.objective,
            title="Publish the licensing register",
        )
        self.published_action.priorities.add(self.priority)
        factories.MilestoneFactory(action=self.published_action, title="Register drafted")
        factories.ProjectFactory(plan=world.published_a, title="New licensing system")
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
                    commentary=(
                        f"{MARKER} counter queues"
                        if (indicator, year) == (self.indicator_a, world.year)
                        else "Steady."
                    ),
                )
        self._resources(world)
        self._reports(world)

    def _resources(self, world):
        for service, budget in ((world.service_a, "120.5"), (world.service_b, "-30")):
            factories.BudgetFactory(service=service, year=world.last_year, net_budget=budget)
            factories.StaffingFactory(service=service, year=world.last_year, fte=Decimal("4.5"))
            factories.SavingFactory(service=service, first_year=world.last_year, amount=10)
        factories.BudgetFactory(
            service=world.service_a, year=world.year, net_budget=Decimal("99.25")
        )
        factories.BudgetRiskFactory(
            head_of_service=world.service_a.head_of_service,
            year=world.last_year,
            title="Licence fee income",
        )

    def _reports(self, world):
        published = {"status": "done", "file": "reports/x.pdf", "published_at": timezone.now()}
        self.plan_pdf = GeneratedReport.objects.create(
            report="service-plan",
            title="Licensing service plan 2011/12",
            parameters={"plan": str(world.published_a.pk)},
            plan=world.published_a,
            **published,
        )
        self.pack = GeneratedReport.objects.create(
            report="committee-summary",
            title="Summary of service plans for Cabinet 2011/12",
            parameters={"committee": str(world.cabinet.pk), "year": "2011"},
            **published,
        )
        # Made, but not published: only administrators (and whoever asked for it) see it.
        self.draft_pack = GeneratedReport.objects.create(
            report="committee-summary",
            title=f"{MARKER} summary for Cabinet 2012/13",
            parameters={"committee": str(world.cabinet.pk), "year": "2012"},
            status="done",
            file="reports/y.pdf",
            requested_by=world.admin,
        )
        self.draft_pack.covers.add(world.plan_a)


@pytest.fixture
def api_world(world):
    return ApiWorld(world)
