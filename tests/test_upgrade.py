"""Upgrading a council's database to the layout with organisation and reports apps keeps every
row.

The organisation's models (years, heads of service, services, committees, priorities) moved
out of the plans app without their tables, and so did the reports' (covering reports, generated
reports and the plan versions they cover). This builds the database as the migrations before
the moves left it, loads the demo council and a few reports into it, migrates to the new layout
and checks that every table keeps every row and the pages read the same data.
"""

import io

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from organisation.models import Committee, Service
from plans.models import Action, Milestone, ServicePlan
from reports import tasks
from reports.models import CoveringReport, GeneratedReport

BEFORE_THE_MOVE = [
    ("plans", "0004_report_covers_and_unpublished_content"),
    ("performance", "0002_indicators_proposed_by_draft_plans"),
    ("budgets", "0001_budgets_savings_staffing_risks"),
    ("organisation", None),
    ("reports", None),
]
# Where the report job's task lived before the reports app.
OLD_TASK_PATH = "plans.reports.tasks.generate_report"


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def latest() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            if table == "django_migrations":  # records the migrations themselves
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def latest_afterwards(settings):
    """The latest migrations again after the test, whatever it did. Report jobs wait for the
    worker the test runs."""
    settings.REPORTS_WORKER = "process"
    yield
    migrate(latest())
    ContentType.objects.clear_cache()


@pytest.fixture
def before_the_move(latest_afterwards):
    """The database as the migrations before the moves left it."""
    migrate(BEFORE_THE_MOVE)
    ContentType.objects.clear_cache()


def add_reports(plan: ServicePlan) -> GeneratedReport:
    """A covering report's narrative, and the stored PDF of a published plan waiting on the
    queue under its task's old name, as the code before the move left them."""
    CoveringReport.objects.create(
        year=plan.year,
        committee=Committee.objects.get(name="Cabinet"),
        meeting_date=plan.endorsed_on,
        title=f"Service plans {plan.year}",
        report_of="Head of Policy and Performance",
        purpose="To endorse the service plans.",
        recommendations="That the plans be endorsed.",
        contact_name="Policy officer",
    )
    row = tasks.schedule_plan_pdf(plan_id=plan.pk)
    row.covers.add(plan)
    DBTaskResult.objects.filter(id=row.task_id).update(task_path=OLD_TASK_PATH)
    return row


@pytest.mark.django_db(transaction=True)
def test_the_demo_council_upgrades_with_every_row_kept(client, latest_afterwards):
    # Today's code loads the demo council; the database then goes back to before the moves,
    # taking with it only the columns later migrations added: the old code's schema, with the
    # council's rows in it.
    # The reports are added first, by today's code, which reads columns the old schema lacks.
    call_command("load_demo", stdout=io.StringIO())
    licensing = Service.objects.get(name="Licensing")
    plan = ServicePlan.objects.get(service=licensing, year__start_year=2012, status="published")
    waiting = add_reports(plan)
    migrate(BEFORE_THE_MOVE)
    ContentType.objects.clear_cache()
    tables_before = set(connection.introspection.table_names())
    assert {"plans_service", "plans_generatedreport_covers"} <= tables_before
    before = row_counts()
    assert before["plans_service"] == 28 and before["plans_serviceplan"] >= 28
    assert before["plans_coveringreport"] == before["plans_generatedreport_covers"] == 1
    assert ContentType.objects.filter(app_label="plans", model="generatedreport").exists()

    migrate(latest())
    ContentType.objects.clear_cache()

    after = row_counts()
    assert {table: after[table] for table in before} == before
    assert set(connection.introspection.table_names()) >= tables_before
    # Items are given stable references on the way; a revision's copies keep theirs.
    assert not Action.objects.filter(reference="").exists()
    assert not Milestone.objects.filter(reference="").exists()
    assert Action.objects.filter(plan=plan).values_list("reference", flat=True)[0] == "LIC-A01"
    moved = ContentType.objects.filter(app_label="organisation").values_list("model", flat=True)
    assert {"service", "financialyear", "priority"} <= set(moved)
    assert not ContentType.objects.filter(app_label="plans", model="service").exists()
    assert ContentType.objects.get_for_model(GeneratedReport).app_label == "reports"
    assert not ContentType.objects.filter(app_label="plans", model__contains="report").exists()
    waiting.refresh_from_db()
    assert list(waiting.covers.all()) == [plan]
    # The job waiting on the queue runs the task where it is now.
    assert DBTaskResult.objects.get(id=waiting.task_id).task == tasks.generate_report
    client.force_login(plan.service.editors.get())
    for url in (
        reverse("portal:plan-detail", args=[plan.pk]),
        reverse("portal:service-detail", args=[licensing.pk]),
        reverse("portal:service", args=[licensing.pk]) + "?year=2012&as_at=2012-08",
        reverse("reports:report-status", args=[waiting.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Licensing" in response.content.decode()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    waiting.refresh_from_db()
    assert waiting.status == GeneratedReport.Status.DONE, waiting.error
    assert client.get(reverse("reports:plan-pdf", args=[plan.pk])).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_what_was_granted_on_the_admins_report_proxies_passes_to_the_models(before_the_move):
    """The admin showed the reports through proxy models of an app labelled plan_reports;
    permissions given on them, and the admin's history of them, pass to the models."""
    concrete = ContentType.objects.get_or_create(app_label="plans", model="generatedreport")[0]
    Permission.objects.get_or_create(
        content_type=concrete, codename="change_generatedreport", defaults={"name": "Can change"}
    )
    proxies = {
        model: ContentType.objects.create(app_label="plan_reports", model=model)
        for model in ("coveringreport", "generatedreport")
    }
    for model, proxy in proxies.items():
        for action in ("add", "change", "delete", "view"):
            Permission.objects.create(
                content_type=proxy, codename=f"{action}_{model}", name=f"Can {action} {model}"
            )
    clerks = Group.objects.create(name="Committee clerks")
    clerks.permissions.add(
        Permission.objects.get(
            codename="change_generatedreport", content_type=proxies["generatedreport"]
        )
    )
    editor = User.objects.create_user("editor")
    editor.user_permissions.add(
        Permission.objects.get(
            codename="view_coveringreport", content_type=proxies["coveringreport"]
        )
    )
    entry = LogEntry.objects.create(
        user=editor,
        content_type=proxies["generatedreport"],
        object_id="1",
        object_repr="A pack",
        action_flag=CHANGE,
    )

    migrate(latest())
    ContentType.objects.clear_cache()

    assert not ContentType.objects.filter(app_label="plan_reports").exists()
    assert not Permission.objects.filter(content_type__app_label="plan_reports").exists()
    assert list(clerks.permissions.values_list("content_type__app_label", "codename")) == [
        ("reports", "change_generatedreport")
    ]
    editor = User.objects.get(pk=editor.pk)
    assert editor.has_perm("reports.view_coveringreport")
    entry.refresh_from_db()
    assert entry.content_type == ContentType.objects.get_for_model(GeneratedReport)
