"""Roles, and who may do what with the organisation's services.

Roles are groups; which services a person works on is their assignment (Service.editors,
HeadOfService.user), not their group. Each layer above has an access module of its own that
builds on this one.
"""

from django.db.models import Q, QuerySet

ADMINISTRATORS = "Administrators"
HEADS_OF_SERVICE = "Heads of service"
OFFICERS = "Officers"
MEMBERS = "Members"
ROLE_GROUPS = (ADMINISTRATORS, HEADS_OF_SERVICE, OFFICERS, MEMBERS)


def role_names(user) -> frozenset[str]:
    """The role groups of a user, read once per request object (_person)."""
    return _person(user)[0]


def assigned_service_ids(user) -> frozenset[int]:
    """The services the user is an editor of (Service.editors), read with the roles."""
    return _person(user)[1]


def _person(user) -> tuple[frozenset[str], frozenset[int]]:
    """A signed-in user's roles and the services they are an editor of, in one query, kept on
    the request's user object: every page needs the roles (the header), and the plan page,
    read most, also whether its reader edits the service. forget_person drops them after a
    change."""
    if not user.is_authenticated:
        return frozenset(), frozenset()
    if not hasattr(user, "_person"):
        from django.contrib.auth.models import Group
        from django.db.models import CharField, IntegerField, Value

        from organisation.models import Service

        roles = Group.objects.filter(user=user).values_list(
            "name", Value(None, output_field=IntegerField())
        )
        assigned = Service.editors.through.objects.filter(user=user).values_list(
            Value("", output_field=CharField()), "service_id"
        )
        rows = list(roles.union(assigned, all=True))
        user._person = (
            frozenset(name for name, service_id in rows if service_id is None),
            frozenset(service_id for name, service_id in rows if service_id is not None),
        )
    return user._person


def forget_person(user) -> None:
    """After changing a user's roles or assignments: read them again when next asked."""
    user.__dict__.pop("_person", None)


def is_administrator(user) -> bool:
    """The policy & performance team: may do everything."""
    return user.is_authenticated and (user.is_superuser or ADMINISTRATORS in role_names(user))


def services_editable_by(user) -> QuerySet:
    """Services whose plans and figures the user may change: the ones they are an editor of,
    those of the portfolio they lead, every one for an administrator."""
    from organisation.models import Service

    if is_administrator(user):
        return Service.objects.all()
    if not user.is_authenticated:
        return Service.objects.none()
    assigned = Service.editors.through.objects.filter(user=user).values("service_id")
    return Service.objects.filter(Q(pk__in=assigned) | Q(head_of_service__user=user))


def may_edit_service(user, service) -> bool:
    """services_editable_by for one service, with no query of its own: the roles and the
    assignments are read once per request (_person). For a page read often (the plan page's
    "Record progress" button)."""
    if is_administrator(user):
        return True
    if not user.is_authenticated:
        return False
    return service.head_of_service.user_id == user.pk or service.pk in assigned_service_ids(user)


def services_approvable_by(user) -> QuerySet:
    """Services whose plans the user may approve or return: a head of service's own."""
    from organisation.models import Service

    if is_administrator(user):
        return Service.objects.all()
    if not user.is_authenticated:
        return Service.objects.none()
    return Service.objects.filter(head_of_service__user=user)


# Residents ---------------------------------------------------------------------------------
# The public pages (off by default) and the open data read published content only. What else
# they leave out, the council decides on its settings page (organisation.council).


def public_pages_on() -> bool:
    """Whether residents may read the public pages without signing in: an administrator turns
    them on in the council's settings."""
    from organisation.council import council_settings

    return council_settings().public_pages


def public_shows_names() -> bool:
    """Whether public pages and the open data name officers (heads of service, owners)."""
    from organisation.council import council_settings

    return council_settings().public_shows_names
