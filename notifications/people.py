"""Who is told: a service's editors, its head of service, the administrators. Bulk reads, so
the reminder job costs the same queries for one service or three hundred."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Q

from organisation.access import ADMINISTRATORS
from organisation.models import Service


@dataclass
class ServicePeople:
    """The people answerable for a service: its editors and its head of service's user."""

    service: Service
    editors: list = field(default_factory=list)
    head: object = None

    @property
    def responsible(self) -> list:
        """Who does the service's work: its editors; with none, its head of service."""
        return self.editors or ([self.head] if self.head else [])


def people_of_services(service_ids=None) -> dict[int, ServicePeople]:
    """Every service's (or these services') editors and head of service. Two queries."""
    services = Service.objects.select_related("head_of_service__user").order_by("name")
    if service_ids is not None:
        services = services.filter(pk__in=list(service_ids))
    people = {
        service.pk: ServicePeople(
            service,
            head=_active(service.head_of_service.user if service.head_of_service else None),
        )
        for service in services
    }
    links = Service.editors.through.objects.filter(
        service_id__in=list(people), user__is_active=True
    ).select_related("user")
    for link in links.order_by("user__last_name", "user__username"):
        people[link.service_id].editors.append(link.user)
    return people


def administrators() -> list:
    """The policy & performance team (and superusers), active ones. One query."""
    return list(
        get_user_model()
        .objects.filter(Q(is_superuser=True) | Q(groups__name=ADMINISTRATORS), is_active=True)
        .distinct()
        .order_by("pk")
    )


def _active(user):
    return user if user is not None and user.is_active else None
