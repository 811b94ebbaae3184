"""Reports' part in other apps' events. Each receiver only calls a service."""

from functools import partial

from django.db import transaction
from django.dispatch import receiver
from django_tasks.signals import task_enqueued

from plans.signals import plan_published
from reports import worker
from reports.tasks import schedule_plan_pdf


@receiver(plan_published, dispatch_uid="reports-schedule-plan-pdf")
def render_the_published_plans_pdf(sender, plan, **kwargs) -> None:
    # Once the publication is committed; a failure to queue it does not undo the publication.
    transaction.on_commit(partial(schedule_plan_pdf, plan_id=plan.pk), robust=True)


@receiver(task_enqueued, dispatch_uid="reports-kick-the-worker")
def run_jobs_queued_by_other_apps(sender, task_result, **kwargs) -> None:
    # The worker belongs to this app, but apps below it queue jobs too (plans' roll-forward of
    # the round): once the job is committed, the in-process worker (if that is how jobs run)
    # is started to run it. This app's own jobs start it themselves (tasks._enqueue).
    if not task_result.task.module_path.startswith("reports."):
        transaction.on_commit(worker.kick, robust=True)
