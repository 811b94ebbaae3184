"""Roles, and who may do what with the organisation's services.

Roles are groups; which services a person works on is their assignment (Service.editors,
HeadOfService.user), not their group. Each layer above has an access module of its own that
builds on this one.
"""

ADMINISTRATORS = "Administrators"
HEADS_OF_SERVICE = "Heads of service"
OFFICERS = "Officers"
MEMBERS = "Members"
ROLE_GROUPS = (ADMINISTRATORS, HEADS_OF_SERVICE, OFFICERS, MEMBERS)


def role_names(user) -> frozenset[str]:
    """The role groups of a user, read once per request object."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_role_names"):
        user._role_names = frozenset(user.groups.values_list("name", flat=True))
    return user._role_names


def is_administrator(user) -> bool:
    """The policy & performance team: may do everything."""
    return user.is_authenticated and (user.is_superuser or ADMINISTRATORS in role_names(user))
