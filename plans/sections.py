"""The sections of a service plan, in the order of the plan template.

A narrative section is one or more text fields of the plan; a repeating section is a list of
plan parts (objectives, actions, …). The editor, the completeness list and the conflict check
all work from this one list.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Exists, OuterRef

from plans.models import Action, Consultation, Objective, Project, Risk, ServicePlan, WorkStream


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    help: str = ""
    # A narrative section: the plan's text fields it edits.
    fields: tuple[str, ...] = ()
    # A repeating section: the part model and the fields edited in its list.
    model: type[models.Model] | None = None
    part_fields: tuple[str, ...] = ()
    many_to_many: tuple[str, ...] = field(default=())

    @property
    def is_repeating(self) -> bool:
        return self.model is not None

    @property
    def part_name(self) -> str:
        """What one row of a repeating section is called: "Action" (errors say "Action 4")."""
        return str(self.model._meta.verbose_name).capitalize() if self.is_repeating else ""

    @property
    def related_name(self) -> str:
        return self.model._meta.get_field("plan").remote_field.related_name

    def is_empty(self, plan: ServicePlan) -> bool:
        """Uses the `has_<slug>` annotation from with_completeness() when present."""
        if self.is_repeating:
            annotated = getattr(plan, f"has_{self.slug.replace('-', '_')}", None)
            if annotated is not None:
                return not annotated
            return not getattr(plan, self.related_name).exists()
        return not any(str(getattr(plan, name) or "").strip() for name in self.fields)


SECTIONS: tuple[Section, ...] = (
    Section(
        "introduction",
        "Introduction and strategic direction",
        "Where the service fits, its core purpose, who it serves and where it is heading.",
        fields=("introduction",),
    ),
    Section(
        "achievements",
        "Key achievements last year",
        fields=("key_achievements",),
    ),
    Section(
        "structure",
        "Structure",
        "Who is in charge, the lines of authority, and any changes with the reasons.",
        fields=("structure", "structure_changes"),
    ),
    Section(
        "objectives",
        "Objectives",
        "Mark the key objectives: they appear in the committee summary.",
        model=Objective,
        part_fields=("title", "is_key", "priorities"),
        many_to_many=("priorities",),
    ),
    Section(
        "actions",
        "Action plan",
        "What the service will do to meet each objective. Open an action to add milestones.",
        model=Action,
        part_fields=(
            "title",
            "objective",
            "responsible_officer",
            "target_date",
            "status",
            "success_measure",
        ),
    ),
    Section(
        "projects",
        "High risk, high profile projects",
        "New projects, developments and key actions. Capital projects need a gateway review.",
        model=Project,
        part_fields=(
            "title",
            "accountable_manager",
            "deliverables",
            "target_date",
            "is_high_risk",
            "is_high_profile",
            "is_high_impact",
            "is_capital",
            "priority",
        ),
    ),
    Section(
        "risks",
        "Risks",
        "Likelihood and impact from 1 to 5; the score is their product.",
        model=Risk,
        part_fields=("description", "category", "likelihood", "impact", "owner", "mitigation"),
    ),
    Section(
        "benchmarking",
        "Benchmarking and value for money",
        "How you know the service offers value for money, compared with others.",
        fields=("benchmarking",),
    ),
    Section(
        "consultations",
        "Resident consultation",
        "Planned work that lets residents give their views before decisions are taken.",
        model=Consultation,
        part_fields=(
            "name",
            "start_date",
            "end_date",
            "feedback_date",
            "target_group",
            "target_area",
            "summary",
            "purpose",
            "is_statutory",
            "consultation_type",
            "contact_name",
            "contact_email",
            "contact_phone",
        ),
    ),
    Section(
        "work-streams",
        "Other work-streams",
        "Key in-year work that does not fit an indicator or an action.",
        model=WorkStream,
        part_fields=("title", "description", "lead_officer", "target_date"),
    ),
    Section(
        "customer-impact",
        "Customer impact and efficiency",
        fields=("customer_impact", "efficiency_measures"),
    ),
)

SECTIONS_BY_SLUG = {section.slug: section for section in SECTIONS}
# The plan's own text fields, in the template's order: copied by revise and roll-forward,
# loaded by the demo, grouped in the admin.
NARRATIVE_FIELDS: tuple[str, ...] = tuple(name for section in SECTIONS for name in section.fields)


def with_completeness(plans: models.QuerySet) -> models.QuerySet:
    """Annotate whether each repeating section has rows, in the same query as the plans."""
    annotations = {
        f"has_{section.slug.replace('-', '_')}": Exists(
            section.model.objects.filter(plan=OuterRef("pk"))
        )
        for section in SECTIONS
        if section.is_repeating
    }
    return plans.annotate(**annotations)


def empty_sections(plan: ServicePlan) -> list[Section]:
    return [section for section in SECTIONS if section.is_empty(plan)]


def section_content(plan: ServicePlan, section: Section) -> list:
    """What the section holds now, as plain values: for conflict checks and the conflict page."""
    if not section.is_repeating:
        return [getattr(plan, name) for name in section.fields]
    parts = section.model.objects.filter(plan=plan).order_by("position", "id")
    concrete = [
        _attname(section.model, name)
        for name in section.part_fields
        if name not in section.many_to_many
    ]
    rows = []
    for part in parts.prefetch_related(*section.many_to_many):
        row = [part.pk, part.position] + [_plain(getattr(part, name)) for name in concrete]
        row += [
            sorted(related.pk for related in getattr(part, name).all())
            for name in section.many_to_many
        ]
        rows.append(row)
    return rows


def action_content(action: Action) -> list:
    """An action with its milestones, for the action page's conflict check."""
    fields = [f.attname for f in Action._meta.concrete_fields]
    milestones = [
        [m.pk, m.title, _plain(m.due_date), _plain(m.completed_on), m.position]
        for m in action.milestones.all()
    ]
    return [[_plain(getattr(action, name)) for name in fields], milestones]


def fingerprint(content: list) -> str:
    return hashlib.sha256(json.dumps(content, default=str).encode()).hexdigest()


def _attname(model: type[models.Model], name: str) -> str:
    return model._meta.get_field(name).attname


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value
