"""Reports' part in other apps' events. Each receiver only calls a service."""

from functools import partial

from django.db import transaction
from django.dispatch import receiver

from plans.signals import plan_published
from reports.tasks import schedule_plan_pdf


@receiver(plan_published, dispatch_uid="reports-schedule-plan-pdf")
def render_the_published_plans_pdf(sender, plan, **kwargs) -> None:
    # Once the publication is committed; a failure to queue it does not undo the publication.
    transaction.on_commit(partial(schedule_plan_pdf, plan_id=plan.pk), robust=True)
