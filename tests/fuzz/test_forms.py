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
from tests.fuzz.forms import fill, parse_form
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


@pytest.fixture
def fuzz_world(world):
    """The World, with a plan part of each kind and indicators, so every form has rows."""
    plan = world.plan_a
    objective = factories.ObjectiveFactory(plan=plan)
    world.action_a = factories.ActionFactory(plan=plan, objective=objective)
    factories.MilestoneFactory(action=world.action_a)
    for code in ("LPI LI01", "LPI LI02"):
        indicator = factories.IndicatorFactory(code=code, service=world.service_a)
        factories.TargetFactory(indicator=indicator, year=world.year, value=90)
    return world


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


def fuzz_page(client, url, *, keep_names=(), fixed=None, allowed=(200, 302, 409), reset=None):
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
            values = data.draw(fill(form, keep_names=keep_names, fixed=fixed))
            submit(client, form.action or url, values, allowed=allowed)
            transaction.set_rollback(True)

    run()


@pytest.mark.parametrize("section", [section.slug for section in SECTIONS])
def test_plan_section_forms(client, fuzz_world, section):
    client.force_login(fuzz_world.officer_a)
    url = reverse("plans:plan-section", args=[fuzz_world.plan_a.pk, section])
    fuzz_page(client, url, keep_names=("base",))


def test_action_and_milestones_form(client, fuzz_world):
    client.force_login(fuzz_world.officer_a)
    url = reverse("plans:action-edit", args=[fuzz_world.plan_a.pk, fuzz_world.action_a.pk])
    fuzz_page(client, url, keep_names=("base",))


def test_return_form(client, fuzz_world):
    plan = fuzz_world.plan_a
    client.force_login(fuzz_world.head)

    def submitted():
        ServicePlan.objects.filter(pk=plan.pk).update(status=ServicePlan.Status.SUBMITTED)

    fuzz_page(
        client,
        reverse("plans:plan-review", args=[plan.pk]),
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
    url = reverse("performance:plan-indicators", args=[fuzz_world.plan_a.pk])
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
