"""Reads of funding programmes and of what a pair of cities could apply to.

The pair selectors return plain dataclasses (``as_dict()`` gives JSON-ready data), so the
pages, the management command and a later API share one answer."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from cities.models import City, Theme
from cities.reference import country_provenance, sdg_provenance
from partnerships.models import FundingProgramme

from . import adapter
from .eligibility import ELIGIBLE, NOT_ELIGIBLE, UNKNOWN, evaluate, render
from .filters import FundingProgrammeFilter

_ORDER = {ELIGIBLE: 0, UNKNOWN: 1, NOT_ELIGIBLE: 2}


@dataclass(frozen=True)
class ProgrammeEligibility:
    """One programme's answer for one pair, ready to show or serialise."""

    name: str
    slug: str
    url: str  # the programme's page on the portal
    eligible: bool | None  # None: unknown
    status: str
    reasons: tuple[str, ...]
    applicant: str | None  # the city that would apply, where the roles differ
    needs_more_partners: bool
    is_open: bool
    deadline_passed: bool
    not_checked_recently: bool
    next_deadline: datetime.date | None
    last_checked_on: datetime.date

    def as_dict(self) -> dict:
        data = asdict(self)
        data["reasons"] = list(self.reasons)
        for name in ("next_deadline", "last_checked_on"):
            data[name] = data[name].isoformat() if data[name] else None
        return data


def programmes_for_eligibility() -> QuerySet[FundingProgramme]:
    """Every programme with its themes (two queries when evaluated)."""
    return FundingProgramme.objects.prefetch_related(
        Prefetch("themes", queryset=Theme.objects.only("pk", "name"))
    ).order_by("name")


def pair_eligibility(
    city_a: City,
    city_b: City,
    *,
    programmes: list[FundingProgramme] | None = None,
    kinds: frozenset[str] | None = None,
    theme_ids: dict[int, frozenset[int]] | None = None,
    today: datetime.date | None = None,
) -> list[ProgrammeEligibility]:
    """For every programme (or the ones given): may ``city_a`` and ``city_b`` apply together,
    and why. Eligible first, then unknown, then not eligible; by name within each.

    Preloaded ``programmes``, ``kinds`` (the pair's partnership kinds) and ``theme_ids``
    save queries when many pairs are shown on one page."""
    today = today or timezone.localdate()
    programmes = list(programmes_for_eligibility()) if programmes is None else programmes
    if theme_ids is None:
        theme_ids = adapter.city_theme_ids([city_a, city_b])
    facts = adapter.pair_facts(city_a, city_b, kinds=kinds, theme_ids=theme_ids)
    groups = adapter.groups_for(programmes)
    vocabulary = adapter.DjangoVocabulary(
        theme_names={t.pk: t.name for p in programmes for t in p.themes.all()}
    )
    answers = []
    for programme in programmes:
        verdict = evaluate(facts, adapter.programme_rules(programme), groups)
        answers.append(
            ProgrammeEligibility(
                name=programme.name,
                slug=programme.slug,
                url=programme.get_absolute_url(),
                eligible=verdict.eligible,
                status=verdict.status,
                reasons=tuple(render(reason, vocabulary) for reason in verdict.reasons),
                applicant=verdict.applicant.name if verdict.applicant else None,
                needs_more_partners=verdict.needs_more_partners,
                is_open=programme.is_open(today),
                deadline_passed=programme.deadline_passed(today),
                not_checked_recently=programme.not_checked_recently(today),
                next_deadline=programme.next_deadline,
                last_checked_on=programme.last_checked_on,
            )
        )
    answers.sort(key=lambda a: (_ORDER[a.status], a.name))
    return answers


@dataclass(frozen=True)
class PairSummary:
    """The short form for suggestions and the request form: what the pair could apply to."""

    eligible: tuple[ProgrammeEligibility, ...]
    unknown: tuple[ProgrammeEligibility, ...]
    total: int


def pair_summary(city_a: City, city_b: City, **preloaded) -> PairSummary:
    answers = pair_eligibility(city_a, city_b, **preloaded)
    return PairSummary(
        eligible=tuple(a for a in answers if a.status == ELIGIBLE),
        unknown=tuple(a for a in answers if a.status == UNKNOWN),
        total=len(answers),
    )


RULE_FIELDS = (
    "applicant_groups",
    "partner_groups",
    "min_countries",
    "min_cities",
    "max_cities",
    "partners_in_different_countries",
    "min_population",
    "max_population",
    "requires_existing_partnership",
    "required_partnership_kinds",
    "partners_assigned_by_programme",
)


def programme_data(programme: FundingProgramme, today: datetime.date | None = None) -> dict:
    """One programme as plain, JSON-ready data (for the API): facts, rules, provenance and
    the stale flags. Its themes should be prefetched."""
    today = today or timezone.localdate()

    def amount(value):
        return None if value is None else str(value)

    def day(value):
        return value.isoformat() if value else None

    return {
        "name": programme.name,
        "slug": programme.slug,
        "funder": programme.funder,
        "url": programme.url,
        "summary": programme.summary_in(),
        "themes": [theme.slug for theme in programme.themes.all()],
        "sdgs": list(programme.sdgs or []),
        "amount_min": amount(programme.amount_min),
        "amount_max": amount(programme.amount_max),
        "currency": programme.currency,
        "cofunding_share": programme.cofunding_share,
        "duration_months_min": programme.duration_months_min,
        "duration_months_max": programme.duration_months_max,
        "call_type": programme.call_type,
        "next_deadline": day(programme.next_deadline),
        "is_open": programme.is_open(today),
        "rules": {name: getattr(programme, name) for name in RULE_FIELDS},
        "other_conditions": programme.other_conditions,
        "source_url": programme.source_url,
        "last_checked_on": day(programme.last_checked_on),
        "checked_by": programme.checked_by,
        "deadline_passed": programme.deadline_passed(today),
        "not_checked_recently": programme.not_checked_recently(today),
    }


def programme_list(data) -> FundingProgrammeFilter:
    """The list's FilterSet (bound to ``data``) over all programmes, with their themes."""
    return FundingProgrammeFilter(
        data or None,
        queryset=FundingProgramme.objects.prefetch_related(
            Prefetch("themes", queryset=Theme.objects.only("pk", "name", "parent_id"))
        ).order_by("name"),
    )


def programme_detail_queryset() -> QuerySet[FundingProgramme]:
    return FundingProgramme.objects.prefetch_related("themes")


def programme_history(programme: FundingProgramme, limit: int = 10) -> list:
    """The latest recorded changes (who, when, how)."""
    return list(programme.history.select_related("history_user").order_by("-history_date")[:limit])


def city_by_token(token: str) -> City | None:
    """A published city by slug or GeoNames id."""
    token = (token or "").strip()
    if not token or len(token) > 120:
        return None
    cities = City.objects.published()
    city = cities.filter(slug=token).first()
    if city is None and token.isdigit() and len(token) <= 10:
        city = cities.filter(geonames_id=int(token)).first()
    return city


def data_sources() -> dict:
    """Provenance of the country groups and SDG names, for the funding pages' data line."""
    return {"countries": country_provenance(), "sdgs": sdg_provenance()}
