"""The notification bell in the header (one COUNT query)."""

from django import template

from ..notifications.services import unread_count

register = template.Library()


@register.inclusion_tag("cities/notifications/_bell.html", takes_context=True)
def notification_bell(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    return {"show": True, "unread": unread_count(user)}
