"""Template tags of the partnership registry: the profile section and status badges."""

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .. import selectors
from ..models import (
    WIKIDATA_PROVENANCE,
    PartnershipConfirmation,
    PartnershipSource,
    PartnershipStatus,
    RequestStatus,
)
from ..permissions import staffed_cities

register = template.Library()

_STATUS_CLASSES = {
    PartnershipStatus.UNKNOWN: "badge-status-unknown",
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
def partnership_state_badge(partnership) -> str:
    """Who stands behind the partnership: confirmed by the city, by a curator, "from Wikidata,
    unconfirmed" (with "no longer in Wikidata" when the import flagged it), or "not a
    partnership" (seen only by the cities' staff and curators)."""
    confirmation = partnership.confirmation
    if confirmation == PartnershipConfirmation.UNCONFIRMED:
        if partnership.provenance == WIKIDATA_PROVENANCE:
            label = _("From Wikidata, unconfirmed")
        else:
            label = _("Imported, unconfirmed")
        badge = format_html('<span class="badge badge-unconfirmed">{}</span>', label)
        if partnership.missing_upstream_since:
            badge += format_html(
                ' <span class="badge badge-dormant" title="{}">{}</span>',
                _("The pair is no longer in the source: please check it."),
                _("no longer in Wikidata")
                if partnership.provenance == WIKIDATA_PROVENANCE
                else _("no longer in the source"),
            )
        return badge
    classes = {
        PartnershipConfirmation.CITY: "badge-confirmed",
        PartnershipConfirmation.CURATOR: "badge-confirmed",
        PartnershipConfirmation.REJECTED: "badge-status-ended",
    }
    return format_html(
        '<span class="badge {}">{}</span>',
        classes.get(confirmation, ""),
        partnership.get_confirmation_display(),
    )


@register.simple_tag
def partnership_source_label(partnership) -> str:
    """The source as a reader needs it: "Wikidata" (linking both cities' items) for imported
    twinnings, else the source's name."""
    if partnership.source == PartnershipSource.IMPORTED and partnership.provenance:
        links = [
            format_html('<a href="{}" rel="noopener external">{}</a>', url, qid)
            for qid, url in partnership.wikidata_urls
        ]
        label = format_html("{}", partnership.provenance)
        if links:
            label += format_html(
                ' <span class="small muted">({})</span>', format_html_join_safe(" ↔ ", links)
            )
        return label
    return format_html("{}", partnership.get_source_display())


def format_html_join_safe(separator: str, parts: list) -> str:
    """Join already-escaped fragments with a plain-text separator."""
    from django.utils.html import conditional_escape
    from django.utils.safestring import mark_safe

    return mark_safe(conditional_escape(separator).join(parts))  # noqa: S308 - parts are escaped


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
