"""Template tags of the partnership registry: the profile section and status badges."""

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .. import selectors
from ..models import PartnershipStatus, RequestStatus
from ..permissions import staffed_cities

register = template.Library()

_STATUS_CLASSES = {
    PartnershipStatus.ACTIVE: "badge-status-active",
    PartnershipStatus.PROPOSED: "badge-status-proposed",
    PartnershipStatus.DORMANT: "badge-status-dormant",
    PartnershipStatus.ENDED: "badge-status-ended",
}

_REQUEST_CLASSES = {
    RequestStatus.SENT: "badge-status-proposed",
    RequestStatus.SEEN: "badge-status-proposed",
    RequestStatus.ACCEPTED: "badge-status-active",
    RequestStatus.DECLINED: "badge-status-ended",
    RequestStatus.WITHDRAWN: "badge-status-ended",
    RequestStatus.EXPIRED: "badge-status-dormant",
}


@register.simple_tag
def partnership_status_badge(partnership) -> str:
    """The status, plus "possibly dormant" for an active partnership silent for 24 months."""
    badge = format_html(
        '<span class="badge {}">{}</span>',
        _STATUS_CLASSES.get(partnership.status, ""),
        partnership.get_status_display(),
    )
    if partnership.is_possibly_dormant(today=timezone.localdate()):
        badge += format_html(
            ' <span class="badge badge-dormant" title="{}">{}</span>',
            _("No recorded activity for 24 months"),
            _("possibly dormant"),
        )
    return badge


@register.simple_tag
def request_status_badge(partnership_request) -> str:
    return format_html(
        '<span class="badge {}">{}</span>',
        _REQUEST_CLASSES.get(partnership_request.status, ""),
        partnership_request.get_status_display(),
    )


@register.inclusion_tag("partnerships/_city_partnerships_section.html", takes_context=True)
def city_partnerships(context, city):
    """The partnerships section of a city profile (two queries, at most 50 rows)."""
    user = context.get("user") or context["request"].user
    can_propose = bool(user.is_authenticated and staffed_cities(user).exclude(pk=city.pk).exists())
    return {
        "data": selectors.city_partnerships(city=city, user=user),
        "city": city,
        "can_propose": can_propose,
    }
