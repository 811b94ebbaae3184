"""What one domain's events mean for another. Each receiver only calls a service."""

from django.core.exceptions import ValidationError
from django.dispatch import receiver

from performance.services import IndicatorCodeTaken, publish_draft_indicators
from plans.signals import plan_published


@receiver(plan_published, dispatch_uid="portal-publish-draft-indicators")
def put_plan_indicators_in_force(sender, plan, **kwargs) -> None:
    """The indicators and targets a plan proposes come into force with it."""
    try:
        publish_draft_indicators(service=plan.service, year=plan.year, version=plan.version)
    except IndicatorCodeTaken as taken:
        raise ValidationError(
            [
                f"{message} The plan proposes it as a new indicator: it needs another code."
                for message in taken.problems.values()
            ]
        ) from taken
