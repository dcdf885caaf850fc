"""Template tags of the partnership registry: the profile section and status badges."""

import functools

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .. import selectors
from ..models import (
    WIKIDATA_PROVENANCE,
    PartnershipConfirmation,
    PartnershipSource,
    PartnershipStatus,
    RequestStatus,
)
from ..permissions import staffed_cities, visibility_audience

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


@functools.lru_cache(maxsize=16)
def _labels(language: str | None) -> dict:
    """Every badge label, translated once per language: a profile with a hundred partners
    otherwise spends more time in gettext than in its queries."""
    return {
        "status": {value: str(label) for value, label in PartnershipStatus.choices},
        "confirmation": {value: str(label) for value, label in PartnershipConfirmation.choices},
        "dormant": _("possibly dormant"),
        "dormant_title": _("No recorded activity for 24 months"),
        "wikidata_unconfirmed": _("From Wikidata, unconfirmed"),
        "imported_unconfirmed": _("Imported, unconfirmed"),
        "gone_wikidata": _("no longer in Wikidata"),
        "gone_source": _("no longer in the source"),
        "gone_title": _("The pair is no longer in the source: please check it."),
    }


def labels() -> dict:
    return _labels(get_language())


@register.simple_tag
def partnership_status_badge(partnership, today=None) -> str:
    """The status, plus "possibly dormant" for an active partnership silent for 24 months."""
    text = labels()
    badge = format_html(
        '<span class="badge {}">{}</span>',
        _STATUS_CLASSES.get(partnership.status, ""),
        text["status"].get(partnership.status, partnership.status),
    )
    dormant = getattr(partnership, "possibly_dormant", None)
    if dormant is None:
        dormant = partnership.is_possibly_dormant(today=today or timezone.localdate())
    if dormant:
        badge += format_html(
            ' <span class="badge badge-dormant" title="{}">{}</span>',
            text["dormant_title"],
            text["dormant"],
        )
    return badge


@register.simple_tag
def partnership_state_badge(partnership) -> str:
    """Who stands behind the partnership: confirmed by the city, by a curator, "from Wikidata,
    unconfirmed" (with "no longer in Wikidata" when the import flagged it), or "not a
    partnership" (seen only by the cities' staff and curators)."""
    text = labels()
    confirmation = partnership.confirmation
    if confirmation == PartnershipConfirmation.UNCONFIRMED:
        wikidata = partnership.provenance == WIKIDATA_PROVENANCE
        badge = format_html(
            '<span class="badge badge-unconfirmed">{}</span>',
            text["wikidata_unconfirmed"] if wikidata else text["imported_unconfirmed"],
        )
        if partnership.missing_upstream_since:
            badge += format_html(
                ' <span class="badge badge-dormant" title="{}">{}</span>',
                text["gone_title"],
                text["gone_wikidata"] if wikidata else text["gone_source"],
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
        text["confirmation"].get(confirmation, confirmation),
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


@register.simple_tag(takes_context=True)
def city_partnerships(context, city):
    """The partnerships section of a city profile (at most six queries, 60 rows).

    What anonymous visitors and members without a city see is the same for all of them: it
    is cached for ``FRAGMENT_CACHE_SECONDS`` per city, audience and language. Staff,
    curators and admins (who also see their own hidden rows) always get it fresh."""
    request = context.get("request")
    user = context.get("user") or request.user
    audience = visibility_audience(user)
    key = f"city-partnerships:{city.pk}:{audience}:{get_language()}"
    if audience is not None and settings.FRAGMENT_CACHE_SECONDS:
        html = cache.get(key)
        if html is not None:
            return mark_safe(html)  # noqa: S308 - our own rendered template, from the cache
    # Anonymous visitors and members without a city never staff one: nothing to propose from.
    can_propose = audience is None and staffed_cities(user).exclude(pk=city.pk).exists()
    html = render_to_string(
        "partnerships/_city_partnerships_section.html",
        {
            "data": selectors.city_partnerships(city=city, user=user),
            "city": city,
            "can_propose": can_propose,
            "user": user,
        },
        request=request,
    )
    if audience is not None and settings.FRAGMENT_CACHE_SECONDS:
        cache.set(key, html, settings.FRAGMENT_CACHE_SECONDS)
    return html


@register.simple_tag(takes_context=True)
def requests_to_answer(context) -> int:
    """Open partnership requests to the cities the signed-in person keeps (the header's
    "Requests" badge): one COUNT query per request, none for visitors."""
    from ..models import PartnershipRequest

    request = context.get("request")
    user = getattr(request, "user", None)  # none on a page refused before authentication
    if user is None or not user.is_authenticated:
        return 0
    if not hasattr(request, "_requests_to_answer"):
        request._requests_to_answer = (
            PartnershipRequest.objects.open().filter(to_city__staff__user=user).count()
        )
    return request._requests_to_answer
