"""Every form of the site, filled in at random and with hostile text: the answer is a page
with a validation message (or the saved result), never a server error; and when nothing was
saved, nothing in the database changed."""

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from plans.models import ServicePlan
from plans.sections import SECTIONS
from tests import factories
from tests.fuzz.forms import fill, is_model_choice, is_row_id, page_values, parse_form
from tests.fuzz.hostile import hostile_text
from tests.fuzz.snapshot import changed_tables, snapshot

pytestmark = pytest.mark.django_db

ERROR_SIGNS = (
    "is-invalid",
    "invalid-feedback",
    "errorlist",
    "alert-danger",
    "There is a problem",
    "did not match",
    "locked",
)


HUGE_ID = "9" * 40  # past any integer column


@pytest.fixture
def fuzz_world(world):
    """The World, with a plan part of each kind and indicators, so every form has rows; and
    the same rows in another plan, whose ids a forged form may send (`foreign_ids`)."""
    plan = world.plan_a
    priority = factories.PriorityFactory()
    objective = factories.ObjectiveFactory(plan=plan)
    objective.priorities.add(priority)
    world.action_a = factories.ActionFactory(plan=plan, objective=objective)
    world.action_a.priorities.add(priority)
    factories.MilestoneFactory(action=world.action_a)
    factories.ProjectFactory(plan=plan, priority=priority)
    for part in (factories.RiskFactory, factories.ConsultationFactory, factories.WorkStreamFactory):
        part(plan=plan)
    for code in ("LPI LI01", "LPI LI02"):
        indicator = factories.IndicatorFactory(code=code, service=world.service_a)
        factories.TargetFactory(indicator=indicator, year=world.year, value=90)
    theirs = world.plan_b
    their_action = factories.ActionFactory(plan=theirs)
    world.foreign_ids = {
        "objectives": their_action.objective_id,
        "actions": their_action.pk,
        "milestones": factories.MilestoneFactory(action=their_action).pk,
        "projects": factories.ProjectFactory(plan=theirs).pk,
        "risks": factories.RiskFactory(plan=theirs).pk,
        "consultations": factories.ConsultationFactory(plan=theirs).pk,
        "work-streams": factories.WorkStreamFactory(plan=theirs).pk,
    }
    return world


def tamper_ids(world) -> list[str]:
    """Ids a forged form sends: other plans' rows, and numbers no key column holds."""
    huge = [HUGE_ID, "-" + HUGE_ID, str(2**63), str(-(2**63) - 1)]
    return huge + [str(pk) for pk in world.foreign_ids.values()]


def submit(client, url, data, *, allowed=(200, 302, 409)):
    """Post the data; a refused submission must explain itself and change nothing."""
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code in allowed, (response.status_code, data)
    if response.status_code == 302:
        follow = client.get(response["Location"])
        assert follow.status_code in (200, 302), response["Location"]
        return response
    assert changed_tables(before, snapshot()) == [], data
    if response.status_code == 200:
        page = response.content.decode()
        assert any(sign in page for sign in ERROR_SIGNS), data
    return response


def fuzz_page(
    client, url, *, keep_names=(), fixed=None, allowed=(200, 302, 409), reset=None, tamper=()
):
    @given(st.data())
    def run(data):
        # Each example starts from the same database, so the page (and what is drawn for
        # it) is the same when hypothesis replays an example to shrink it.
        with transaction.atomic():
            if reset:
                reset()
            page = client.get(url)
            assert page.status_code == 200, url
            form = parse_form(page.content.decode())
            values = data.draw(fill(form, keep_names=keep_names, fixed=fixed, tamper_ids=tamper))
            submit(client, form.action or url, values, allowed=allowed)
            transaction.set_rollback(True)

    run()


@pytest.mark.parametrize("section", [section.slug for section in SECTIONS])
def test_plan_section_forms(client, fuzz_world, section):
    client.force_login(fuzz_world.officer_a)
    url = reverse("plans:plan-section", args=[fuzz_world.plan_a.pk, section])
    fuzz_page(client, url, keep_names=("base",), tamper=tamper_ids(fuzz_world))


def test_action_and_milestones_form(client, fuzz_world):
    client.force_login(fuzz_world.officer_a)
    url = reverse("plans:action-edit", args=[fuzz_world.plan_a.pk, fuzz_world.action_a.pk])
    fuzz_page(client, url, keep_names=("base",), tamper=tamper_ids(fuzz_world))


# The plan editor's forms, each tampered with in one known way (the fuzzing above draws these
# too, but not on every run): ids past the database's range, other plans' rows, and lists
# claiming far more rows than a formset takes.

LIST_PAGES = [section.slug for section in SECTIONS if section.is_repeating] + ["action"]


def editor_page(client, world, page: str):
    client.force_login(world.officer_a)
    if page == "action":
        url = reverse("plans:action-edit", args=[world.plan_a.pk, world.action_a.pk])
    else:
        url = reverse("plans:plan-section", args=[world.plan_a.pk, page])
    response = client.get(url)
    assert response.status_code == 200, url
    return url, parse_form(response.content.decode())


def refused(client, url, data, message: str) -> None:
    response = submit(client, url, data, allowed=(200,))
    assert message in response.content.decode(), (message, data)


@pytest.mark.parametrize("page", ["objectives", "actions", "projects", "action"])
@pytest.mark.parametrize("value", [HUGE_ID, "-" + HUGE_ID, str(2**63)])
def test_an_id_past_the_range_in_each_choice_field(client, fuzz_world, page, value):
    url, form = editor_page(client, fuzz_world, page)
    names = {item.name for item in form.fields if is_model_choice(item)}
    assert names, "the page has choices of rows"
    for name in sorted(names):
        data = {**page_values(form), name: [value]}
        refused(client, url, data, "Select a valid choice")


@pytest.mark.parametrize("page", LIST_PAGES)
def test_far_more_rows_than_a_list_takes(client, fuzz_world, page):
    url, form = editor_page(client, fuzz_world, page)
    data = page_values(form)
    totals = [name for name in data if name.endswith("-TOTAL_FORMS")]
    assert totals, "the page has a list"
    for name in totals:
        refused(client, url, {**data, name: ["100000"]}, "This list can have at most 200 rows.")


# What the message calls a row of each page ("Action 1 is not one of this plan's actions").
ROW_NAMES = {"work-streams": "Other work-stream", "action": "Milestone"}
ROW_NAMES |= {"objectives": "Objective", "actions": "Action", "projects": "Project"}
ROW_NAMES |= {"risks": "Risk", "consultations": "Consultation"}


@pytest.mark.parametrize("page", LIST_PAGES)
@pytest.mark.parametrize("forged", ["another plan's row", "huge"])
def test_a_forged_row_id(client, fuzz_world, page, forged):
    url, form = editor_page(client, fuzz_world, page)
    data = page_values(form)
    ids = [item.name for item in form.fields if is_row_id(item) and item.value]
    assert ids, "the page has rows"
    rows = "milestones" if page == "action" else page
    value = str(fuzz_world.foreign_ids[rows]) if forged == "another plan's row" else HUGE_ID
    name = ROW_NAMES[page]
    refused(client, url, {**data, ids[0]: [value]}, f"{name} 1 is not one of this")


def test_return_form(client, fuzz_world):
    plan = fuzz_world.plan_a
    client.force_login(fuzz_world.head)

    def submitted():
        ServicePlan.objects.filter(pk=plan.pk).update(status=ServicePlan.Status.SUBMITTED)

    fuzz_page(
        client,
        reverse("portal:plan-review", args=[plan.pk]),
        fixed={"decision": ["return"]},
        reset=submitted,
    )


def test_publish_form(client, fuzz_world):
    plan = fuzz_world.plan_a
    client.force_login(fuzz_world.admin)

    def approved():
        ServicePlan.objects.filter(pk=plan.pk).update(status=ServicePlan.Status.APPROVED)

    fuzz_page(client, reverse("plans:plan-publish", args=[plan.pk]), reset=approved)


def test_figures_grid(client, fuzz_world):
    client.force_login(fuzz_world.officer_a)
    url = reverse("performance:figures-entry", args=[fuzz_world.service_a.pk, "2012-08"])
    fuzz_page(client, url, keep_names=("base",))


def test_indicators_editor(client, fuzz_world):
    client.force_login(fuzz_world.officer_a)
    url = reverse("portal:plan-indicators", args=[fuzz_world.plan_a.pk])
    fuzz_page(client, url, keep_names=("base",))


def test_password_change(client, fuzz_world):
    client.force_login(fuzz_world.member)
    fuzz_page(client, reverse("password_change"))


def test_sign_in(client, fuzz_world):
    # 429: the username hit the lock-out (LOGIN_FAILURE_LIMIT failures), which says so.
    fuzz_page(client, reverse("login"), allowed=(200, 302, 429))


def test_covering_report_form(client, fuzz_world):
    client.force_login(fuzz_world.admin)
    fuzz_page(client, reverse("reports:covering-report-new"))


@given(
    name=st.one_of(
        st.sampled_from(["figures.csv", "figures.xlsx", "../../etc/passwd", "a.CSV", ""]),
        hostile_text.filter(lambda text: "\x00" not in text),
    ),
    content=st.one_of(
        st.binary(max_size=2000),
        st.sampled_from([b"PK\x03\x04" + bytes(100), b"\xef\xbb\xbfcode,period_end\n"]),
        hostile_text.map(lambda text: f"code,period_end,value,state,commentary\n{text}".encode()),
    ),
)
def test_figures_upload(client, fuzz_world, name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(fuzz_world.officer_a)
    with transaction.atomic():
        upload = SimpleUploadedFile(name or "x", content)
        submit(client, reverse("performance:figures-upload"), {"file": upload})
        transaction.set_rollback(True)
