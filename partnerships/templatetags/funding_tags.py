"""Funding on other pages: what a pair of cities could apply to (partner suggestions, the
request form, a partnership's page) and the names of country groups.

``funding_for_pair`` loads the programmes and the first city's partnerships once per page
render (kept in ``context.render_context``), so a list of ten suggestions costs a few queries,
not ten times as many."""

from django import template

from cities.reference import group_name
from partnerships.funding import adapter, selectors

register = template.Library()


@register.filter
def group_names(tokens) -> str:
    """ "EU member states, countries associated to the CERV programme" for a rule's tokens."""
    return ", ".join(group_name(str(token)) for token in tokens or [])


@register.filter
def kind_names(kinds) -> str:
    """The partnership kinds' names in the active language."""
    from cities.choices import PartnershipKind

    labels = dict(PartnershipKind.choices)
    return ", ".join(str(labels.get(kind, kind)) for kind in kinds or [])


def _programmes(context) -> list:
    cache = context.render_context.setdefault("funding_preloaded", {})
    if "programmes" not in cache:
        cache["programmes"] = list(selectors.programmes_for_eligibility())
    return cache["programmes"]


def _preloaded(context, city):
    """(programmes, the city's partnership kinds by partner), loaded once per render."""
    cache = context.render_context.setdefault("funding_preloaded", {})
    programmes = _programmes(context)
    kinds = cache.setdefault("kinds", {})
    if city.pk not in kinds:
        kinds[city.pk] = adapter.partner_kinds_of(city)
    return programmes, kinds[city.pk]


def _summary(context, city, other):
    if city is None or other is None or getattr(city, "pk", None) == getattr(other, "pk", None):
        return None
    if not _programmes(context):
        return None
    programmes, kinds = _preloaded(context, city)
    return selectors.pair_summary(
        city,
        other,
        programmes=programmes,
        kinds=kinds.get(other.pk, frozenset()),
        theme_ids={},  # the short form leaves out the theme notes
    )


@register.inclusion_tag("partnerships/funding/_pair_summary.html", takes_context=True)
def funding_for_pair(context, city, other):
    """One line: "This pair could apply to …" with a link to the reasons."""
    return {"summary": _summary(context, city, other), "city": city, "other": other}


@register.inclusion_tag("partnerships/funding/_pair_section.html", takes_context=True)
def funding_section_for_pair(context, city, other):
    """A section with every programme's answer and its reasons (a partnership's page)."""
    if city is None or other is None or not _programmes(context):
        return {"answers": None}
    programmes, kinds = _preloaded(context, city)
    answers = selectors.pair_eligibility(
        city, other, programmes=programmes, kinds=kinds.get(other.pk, frozenset())
    )
    return {"answers": answers, "city": city, "other": other}


@register.inclusion_tag("partnerships/funding/_pair_summary.html", takes_context=True)
def funding_for_request(context, form, to_city):
    """The request form's line: the sender city is the form's "on behalf of" choice (bound
    or initial), one of the cities the user may send for; nothing while it is not chosen."""
    slug = form["from_city"].value()
    from_city = None
    if slug and isinstance(slug, str) and to_city is not None:
        from_city = form.fields["from_city"].queryset.filter(slug=slug).first()
    return {"summary": _summary(context, from_city, to_city), "city": from_city, "other": to_city}
