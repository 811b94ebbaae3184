"""Notifications on other apps' pages, which may not import this app: the committee page's
follow button."""

from django import template

from notifications.services import follows

register = template.Library()


@register.inclusion_tag("notifications/_follow_button.html", takes_context=True)
def follow_button(context, committee) -> dict:
    """A signed-in person's "Follow this committee" or "Stop following" form, back to this
    page afterwards. One query (whether they follow it); none for anyone else."""
    request = context["request"]
    if not request.user.is_authenticated:
        return {"shown": False}
    return {
        "shown": True,
        "committee": committee,
        "following": follows(request.user, committee),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
