"""The plan editor: saving sections, validation, no lost updates, read-only published plans."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from plans.models import Milestone, Risk, ServicePlan
from tests import factories

pytestmark = pytest.mark.django_db


def section_url(plan, slug):
    return reverse("plans:plan-section", args=[plan.pk, slug])


def base_of(response) -> str:
    return re.search(r'name="base" value="([0-9a-f]+)"', response.content.decode()).group(1)


def formset_data(prefix: str, rows: list[dict], initial: int) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


@pytest.fixture
def officer(client, world):
    client.force_login(world.officer_a)
    return client


def test_officer_saves_a_narrative_section(officer, world):
    url = section_url(world.plan_a, "introduction")
    base = base_of(officer.get(url))
    response = officer.post(url, {"base": base, "introduction": "We licence taxis."})
    assert response.status_code == 302
    world.plan_a.refresh_from_db()
    assert world.plan_a.introduction == "We licence taxis."
    assert world.plan_a.history.first().history_user == world.officer_a


def test_second_save_of_the_same_section_gets_a_conflict_page_and_loses_nothing(client, world):
    url = section_url(world.plan_a, "introduction")
    client.force_login(world.officer_a)
    stale_base = base_of(client.get(url))
    # The head of service opens and saves the same section first.
    client.force_login(world.head)
    response = client.post(url, {"base": base_of(client.get(url)), "introduction": "Theirs."})
    assert response.status_code == 302
    # The officer's save, made from the page opened before, does not overwrite it.
    client.force_login(world.officer_a)
    response = client.post(url, {"base": stale_base, "introduction": "Mine, typed carefully."})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this section" in page
    assert "Theirs." in page, "their version is shown"
    assert "Mine, typed carefully." in page, "what the officer typed is still in the form"
    world.plan_a.refresh_from_db()
    assert world.plan_a.introduction == "Theirs."
    # Saving again from the conflict page keeps the officer's version, deliberately.
    response = client.post(
        url, {"base": base_of(response), "introduction": "Mine, typed carefully."}
    )
    assert response.status_code == 302
    world.plan_a.refresh_from_db()
    assert world.plan_a.introduction == "Mine, typed carefully."


def test_saving_another_section_meanwhile_is_not_a_conflict(officer, world):
    intro_base = base_of(officer.get(section_url(world.plan_a, "introduction")))
    achievements = section_url(world.plan_a, "achievements")
    officer.post(
        achievements,
        {"base": base_of(officer.get(achievements)), "key_achievements": "New taxi policy."},
    )
    response = officer.post(
        section_url(world.plan_a, "introduction"),
        {"base": intro_base, "introduction": "Still fine."},
    )
    assert response.status_code == 302


def test_add_reorder_and_remove_rows_of_a_repeating_section(officer, world):
    first = factories.RiskFactory(plan=world.plan_a, description="First", position=0)
    second = factories.RiskFactory(plan=world.plan_a, description="Second", position=1)
    doomed = factories.RiskFactory(plan=world.plan_a, description="Doomed", position=2)
    url = section_url(world.plan_a, "risks")
    base = base_of(officer.get(url))
    risk = {"category": "operational", "likelihood": "2", "impact": "3"}
    rows = [
        {"id": first.pk, "description": "First", "ORDER": "2", **risk},
        {"id": second.pk, "description": "Second", "ORDER": "1", **risk},
        {"id": doomed.pk, "description": "Doomed", "ORDER": "3", "DELETE": "on", **risk},
        {"description": "Brand new", "ORDER": "4", **risk},
    ]
    data = {"base": base, **formset_data("risks", rows, initial=3)}
    assert officer.post(url, data).status_code == 302
    assert list(world.plan_a.risks.values_list("description", flat=True)) == [
        "Second",
        "First",
        "Brand new",
    ]


def test_bad_input_is_explained_at_the_field_and_in_a_summary_and_nothing_changes(officer, world):
    risk = factories.RiskFactory(plan=world.plan_a, description="Flooding", likelihood=2)
    url = section_url(world.plan_a, "risks")
    base = base_of(officer.get(url))
    rows = [
        {
            "id": risk.pk,
            "description": "Flooding",
            "category": "operational",
            "likelihood": "9",
            "impact": "3",
            "ORDER": "1",
        }
    ]
    response = officer.post(url, {"base": base, **formset_data("risks", rows, initial=1)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_risks-0-likelihood"' in page
    assert "Ensure this value is less than or equal to 5" in page
    assert page.count("Ensure this value is less than or equal to 5") >= 2, "summary and field"
    assert Risk.objects.get(pk=risk.pk).likelihood == 2


@pytest.mark.parametrize(
    ("slug", "row", "said"),
    [
        ("objectives", {"title": "", "is_key": "on"}, "Objective 1, Title"),
        ("actions", {"title": "", "responsible_officer": "Jo"}, "Action 1, Title"),
        ("projects", {"title": "", "accountable_manager": "Jo"}, "Project 1, Title"),
        ("risks", {"description": "", "owner": "Jo"}, "Risk 1, Description"),
        ("consultations", {"name": "", "target_group": "Tenants"}, "Consultation 1, Name"),
        ("work-streams", {"title": "", "lead_officer": "Jo"}, "Other work-stream 1, Title"),
    ],
)
def test_the_error_summary_names_each_row_by_what_it_is(officer, world, slug, row, said):
    response = section_post(officer, world.plan_a, slug, [{**row, "ORDER": "1"}], initial=0)
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert f"{said}: This field is required." in page
    assert "Item 1" not in page


def test_a_refused_row_ties_each_error_and_help_text_to_its_field(officer, world):
    risk = factories.RiskFactory(plan=world.plan_a, description="Flooding", likelihood=2)
    url = section_url(world.plan_a, "risks")
    rows = [
        {"id": risk.pk, "description": "", "category": "operational", "likelihood": "9"},
    ]
    data = {"base": base_of(officer.get(url)), **formset_data("risks", rows, initial=1)}
    page = officer.post(url, data).content.decode()
    for name in ("description", "likelihood"):
        field_id = f"id_risks-0-{name}"
        widget = re.search(rf'<(?:textarea|input)[^>]*id="{field_id}"[^>]*>', page).group(0)
        assert 'aria-invalid="true"' in widget
        assert f'aria-describedby="{field_id}_error' in widget
        assert f'<div id="{field_id}_error" class="invalid-feedback">' in page
        assert f'<label for="{field_id}"' in page
    likelihood = re.search(r'<input[^>]*id="id_risks-0-likelihood"[^>]*>', page).group(0)
    assert "id_risks-0-likelihood_helptext" in likelihood, "the help text is read out too"
    assert '<div id="id_risks-0-likelihood_helptext" class="form-text">' in page


def test_objectives_priorities_are_checkboxes_in_a_fieldset_named_by_its_legend(officer, world):
    factories.PriorityFactory.create_batch(2)
    factories.ObjectiveFactory(plan=world.plan_a, title="Cleaner streets")
    page = officer.get(section_url(world.plan_a, "objectives")).content.decode()
    fieldset = re.search(r'<div id="div_id_objectives-0-priorities".*?</fieldset>', page, re.S)
    assert '<legend class="form-label fs-6">Priorities</legend>' in fieldset.group(0)
    boxes = re.findall(r'<input type="checkbox"[^>]*name="objectives-0-priorities"', page)
    labels = re.findall(r'<label for="id_objectives-0-priorities_\d+"', page)
    assert len(boxes) == len(labels) >= 2


def test_the_rows_of_a_section_render_without_a_template_per_field(officer, world):
    """A plan's 50 actions took 400 ms to show when each field of each row went through
    crispy-forms' templates; the rows are now written by the form (the page stays a template)."""
    for position in range(3):
        factories.ActionFactory(plan=world.plan_a, position=position)
    response = officer.get(section_url(world.plan_a, "actions"))
    used = {template.name for template in response.templates}
    assert "plans/_section_form.html" in used
    assert not [name for name in used if name.startswith("bootstrap5/")], "crispy-forms' pack"
    assert response.content.decode().count('class="select form-select"') == 2 * 4


def test_stale_repeating_section_is_a_conflict(client, world):
    url = section_url(world.plan_a, "work-streams")
    client.force_login(world.officer_a)
    stale = base_of(client.get(url))
    factories.WorkStreamFactory(plan=world.plan_a, title="Added by a colleague")
    rows = [{"title": "Mine", "ORDER": "1"}]
    response = client.post(url, {"base": stale, **formset_data("work-streams", rows, 0)})
    assert response.status_code == 409
    assert "Added by a colleague" in response.content.decode()
    assert list(world.plan_a.work_streams.values_list("title", flat=True)) == [
        "Added by a colleague"
    ]


def test_action_page_adds_milestones(officer, world):
    action = factories.ActionFactory(plan=world.plan_a, title="Review taxi fares")
    url = reverse("plans:action-edit", args=[world.plan_a.pk, action.pk])
    base = base_of(officer.get(url))
    data = {
        "base": base,
        "title": "Review taxi fares",
        "objective": action.objective_id,
        "status": "on_track",
        **formset_data(
            "milestones",
            [{"title": "Consult the trade", "due_date": "2012-10-01", "ORDER": "1"}],
            initial=0,
        ),
    }
    assert officer.post(url, data).status_code == 302
    assert list(Milestone.objects.filter(action=action).values_list("title", flat=True)) == [
        "Consult the trade"
    ]


def test_published_plan_cannot_be_changed(officer, world):
    plan = world.published_a
    before = plan.introduction
    url = section_url(plan, "introduction")
    assert officer.get(url).status_code == 302
    response = officer.post(url, {"base": "x", "introduction": "Sneaky change"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.introduction == before


def test_a_plan_submitted_meanwhile_refuses_the_save(officer, world):
    url = section_url(world.plan_a, "introduction")
    base = base_of(officer.get(url))
    ServicePlan.objects.filter(pk=world.plan_a.pk).update(status="submitted")
    response = officer.post(url, {"base": base, "introduction": "Too late"}, follow=True)
    assert "This plan is submitted for approval: read only." in response.content.decode()
    world.plan_a.refresh_from_db()
    assert world.plan_a.introduction != "Too late"


def test_unknown_section_is_404(officer, world):
    assert officer.get(section_url(world.plan_a, "nonsense")).status_code == 404


# Tampered posts: what a browser never sends is refused at the form, never a server error. ----

HUGE_ID = "9" * 40  # past any integer column: SQLite raised OverflowError on the lookup


def section_post(client, plan, slug, rows, *, initial, total=None):
    url = section_url(plan, slug)
    data = {"base": base_of(client.get(url)), **formset_data(slug, rows, initial)}
    if total is not None:
        data[f"{slug}-TOTAL_FORMS"] = str(total)
    return client.post(url, data)


def action_post(client, action, **fields):
    url = reverse("plans:action-edit", args=[action.plan_id, action.pk])
    data = {
        "base": base_of(client.get(url)),
        "title": action.title,
        "objective": action.objective_id or "",
        "status": action.status,
        **formset_data("milestones", [], initial=0),
        **fields,
    }
    return client.post(url, data)


@pytest.mark.parametrize(
    ("slug", "row", "field"),
    [
        ("objectives", {"title": "Safer streets", "priorities": [HUGE_ID]}, "priorities"),
        ("objectives", {"title": "Safer streets", "priorities": ["-" + HUGE_ID]}, "priorities"),
        ("actions", {"title": "Patrol", "objective": HUGE_ID, "status": "on_track"}, "objective"),
        ("projects", {"title": "New depot", "priority": HUGE_ID}, "priority"),
    ],
)
def test_an_id_past_the_database_range_is_an_invalid_choice_in_a_list(
    officer, world, slug, row, field
):
    response = section_post(officer, world.plan_a, slug, [{**row, "ORDER": "1"}], initial=0)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice" in page
    assert f'href="#id_{slug}-0-{field}"' in page, "the summary links to the field"
    assert not getattr(world.plan_a, slug).exists()  # the related names are the slugs


@pytest.mark.parametrize(
    "fields",
    [
        {"objective": HUGE_ID},
        {"priorities": [HUGE_ID]},
        {"priorities": [str(2**63)]},  # one past BigAutoField's range
    ],
)
def test_an_id_past_the_database_range_is_an_invalid_choice_in_the_action_editor(
    officer, world, fields
):
    action = factories.ActionFactory(plan=world.plan_a, title="Review taxi fares")
    response = action_post(officer, action, title="Changed", **fields)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    action.refresh_from_db()
    assert action.title == "Review taxi fares"


def test_choices_are_checked_against_the_plan_not_the_cached_list(officer, world):
    """The forms render cached choice lists; validation still asks the field's queryset."""
    action = factories.ActionFactory(plan=world.plan_a)
    theirs = factories.ObjectiveFactory(plan=world.plan_b)
    response = action_post(officer, action, objective=theirs.pk)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    mine = factories.ObjectiveFactory(plan=world.plan_a)
    assert action_post(officer, action, objective=mine.pk).status_code == 302
    action.refresh_from_db()
    assert action.objective == mine


def test_a_list_posted_with_thousands_of_rows_is_refused_without_building_them(officer, world):
    factories.ObjectiveFactory(plan=world.plan_a, title="Kept")
    rows = [{"title": f"Spam {n}", "ORDER": str(n)} for n in range(3)]
    response = section_post(officer, world.plan_a, "objectives", rows, initial=0, total=5000)
    assert response.status_code == 200
    assert len(response.context["form"].forms) == 0, "refused before any row is built"
    page = response.content.decode()
    assert "There is a problem" in page
    assert "This list can have at most 200 rows." in page
    assert list(world.plan_a.objectives.values_list("title", flat=True)) == ["Kept"]


@pytest.mark.parametrize(("total", "saved"), [(200, True), (201, False)])
def test_a_list_takes_up_to_200_rows(officer, world, total, saved):
    rows = [{"title": f"Objective {n}", "ORDER": str(n)} for n in range(3)]
    response = section_post(officer, world.plan_a, "objectives", rows, initial=0, total=total)
    assert response.status_code == (302 if saved else 200)
    assert world.plan_a.objectives.count() == (3 if saved else 0)


def test_an_action_posted_with_thousands_of_milestones_is_refused(officer, world):
    action = factories.ActionFactory(plan=world.plan_a)
    milestones = [{"title": f"Spam {n}", "ORDER": str(n)} for n in range(3)]
    data = {**formset_data("milestones", milestones, initial=0), "milestones-TOTAL_FORMS": "5000"}
    response = action_post(officer, action, **data)
    assert response.status_code == 200
    assert len(response.context["milestones"].forms) == 0, "refused before any row is built"
    assert "This list can have at most 200 rows." in response.content.decode()
    assert not Milestone.objects.filter(action=action).exists()


@pytest.mark.parametrize("forged", ["another plan's", "huge", "missing"])
def test_a_row_that_is_not_one_of_the_plans_is_refused_not_added(officer, world, forged):
    first = factories.ObjectiveFactory(plan=world.plan_a, title="First", position=0)
    second = factories.ObjectiveFactory(plan=world.plan_a, title="Second", position=1)
    theirs = factories.ObjectiveFactory(plan=world.plan_b, title="Theirs")
    third = {"title": "Forged", "ORDER": "3"}
    if forged != "missing":
        third["id"] = theirs.pk if forged == "another plan's" else HUGE_ID
    rows = [
        {"id": first.pk, "title": "First", "ORDER": "1"},
        {"id": second.pk, "title": "Second", "ORDER": "2"},
        third,
    ]
    response = section_post(officer, world.plan_a, "objectives", rows, initial=3)
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "Objective 3 is not one of this plan&#x27;s objectives any more: someone may have "
        "removed it. Reload the page." in page
    )
    assert "Select a valid choice" not in page, "said once, for the list"
    assert list(world.plan_a.objectives.values_list("title", flat=True)) == ["First", "Second"]
    theirs.refresh_from_db()
    assert (theirs.plan, theirs.title) == (world.plan_b, "Theirs")


@pytest.mark.parametrize("forged", ["another action's", "huge"])
def test_a_milestone_that_is_not_the_actions_is_refused_not_added(officer, world, forged):
    action = factories.ActionFactory(plan=world.plan_a)
    theirs = factories.MilestoneFactory(
        action=factories.ActionFactory(plan=world.plan_b), title="Theirs"
    )
    row = {
        "id": theirs.pk if forged == "another action's" else HUGE_ID,
        "title": "Forged",
        "ORDER": "1",
    }
    response = action_post(officer, action, **formset_data("milestones", [row], initial=1))
    assert response.status_code == 200
    assert (
        "Milestone 1 is not one of this action&#x27;s milestones any more"
        in response.content.decode()
    )
    assert not Milestone.objects.filter(action=action).exists()
    theirs.refresh_from_db()
    assert theirs.title == "Theirs"


@pytest.mark.parametrize("base", [None, ""])
def test_an_action_saved_without_its_fingerprint_is_a_conflict(officer, world, base):
    action = factories.ActionFactory(plan=world.plan_a, title="Theirs")
    url = reverse("plans:action-edit", args=[world.plan_a.pk, action.pk])
    data = {
        "title": "Mine, typed carefully",
        "objective": action.objective_id,
        "status": "on_track",
        **formset_data("milestones", [], initial=0),
    }
    if base is not None:
        data["base"] = base
    response = officer.post(url, data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this action" in page
    assert "<strong>Theirs</strong>" in page, "their version is shown"
    assert "<title>Error:" not in page and "There is a problem" not in page, "nothing is invalid"
    assert "Mine, typed carefully" in page, "what the officer typed is still in the form"
    assert base_of(response), "the page carries the current fingerprint, to save again"
    action.refresh_from_db()
    assert action.title == "Theirs"


@pytest.mark.parametrize("base", [None, ""])
def test_a_section_saved_without_its_fingerprint_is_a_conflict(officer, world, base):
    before = world.plan_a.introduction
    data = {"introduction": "Mine, typed carefully."}
    if base is not None:
        data["base"] = base
    response = officer.post(section_url(world.plan_a, "introduction"), data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this section" in page
    assert "Mine, typed carefully." in page
    world.plan_a.refresh_from_db()
    assert world.plan_a.introduction == before


def test_a_list_saved_without_its_fingerprint_is_a_conflict(officer, world):
    url = section_url(world.plan_a, "work-streams")
    rows = [{"title": "Mine", "ORDER": "1"}]
    response = officer.post(url, formset_data("work-streams", rows, 0))
    assert response.status_code == 409
    assert "Mine" in response.content.decode()
    assert not world.plan_a.work_streams.exists()


# What the audit found on the editor's pages. ------------------------------------------------


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.ids += [value for name, value in attrs if name == "id"]


def repeated_ids(page: str) -> set[str]:
    parser = _Ids()
    parser.feed(page)
    return {value for value in parser.ids if parser.ids.count(value) > 1}


MILESTONE = {"title": "Consult the trade", "due_date": "2012-10-01", "ORDER": "1"}


@pytest.mark.parametrize(
    ("fields", "milestone", "error"),
    [
        ({"title": ""}, MILESTONE, 'href="#id_title">Title: This field is required.'),
        (
            {},
            {**MILESTONE, "due_date": "soon"},
            'href="#id_milestones-0-due_date">Milestone 1, Due date: Enter a valid date.',
        ),
    ],
    ids=["action refused, milestones valid", "action valid, a milestone refused"],
)
def test_a_refused_action_has_one_error_summary_and_unique_ids(
    officer, world, fields, milestone, error
):
    action = factories.ActionFactory(plan=world.plan_a, title="Review taxi fares")
    response = action_post(
        officer, action, **formset_data("milestones", [milestone], initial=0), **fields
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("There is a problem") == 1 and "<title>Error: " in page
    assert error in page
    assert repeated_ids(page) == set()


def test_the_section_editor_puts_its_form_before_the_list_of_sections(officer, world):
    page = officer.get(section_url(world.plan_a, "introduction")).content.decode()
    main = page[page.index("<main") :]
    heading, form = main.index("<h1"), main.index('name="base"')
    assert heading < form < main.index('aria-label="Plan sections"')


def test_the_review_page_warns_of_targets_after_the_plans_year(client, world):
    """Allowed (some actions run for years) but visible to the approver: a mistyped year
    (2031 for 2013) looks the same as a long action."""
    import datetime

    factories.ActionFactory(
        plan=world.plan_a,
        reference="A-01",
        title="Due in year",
        target_date=datetime.date(2013, 3, 31),
    )
    late = factories.ActionFactory(
        plan=world.plan_a, reference="A-02", title="Mistyped", target_date=datetime.date(2031, 3, 1)
    )
    Milestone.objects.create(action=late, title="Step", due_date=datetime.date(2014, 6, 30))
    client.force_login(world.head)
    page = client.get(reverse("portal:plan-review", args=[world.plan_a.pk])).content.decode()
    warning = page[page.index('id="late-targets"') :]
    warning = warning[: warning.index("</div>")]
    assert "Due in year" not in warning
    assert warning.index("30 June 2014") < warning.index("1 March 2031")
    assert 'Action <span class="ref">A-02</span> Mistyped: 1 March 2031' in warning
