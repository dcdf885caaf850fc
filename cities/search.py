"""Finding cities by name in any spelling, forgiving typos on every database.

Every city stores folded name keys in ``search_names`` ("dusseldorf|duesseldorf|…", see
``cities.text``). A query is folded the same way, so "Düsseldorf", "Dusseldorf" and
"duesseldorf" all meet the key of Düsseldorf, and "sao paulo" the key of São Paulo.

Matches come in tiers, and a weaker tier is used only when every stronger one is empty:

1. **names** — a key (the name or an alternate name) equal to the query, a key starting with
   it, or a later word of the city's own name starting with it ("york" → York, Yorkton, New
   York City), best first in that order;
2. **inside a name** — the query anywhere inside a key ("dorf" → Düsseldorf);
3. **close spellings** — keys a typo or two away ("dusseldrof" → Düsseldorf): PostgreSQL's
   trigram word similarity (``pg_trgm``), or on other databases the in-memory index of
   ``cities.fuzzy``. The best of them is offered as "Did you mean …?".

So "Köln" lists Köln (and Kolín, whose other name starts "Koln an der Elbe"), not the
Lincolns whose alternate names "Linkoln" and "Lin Koln" merely contain "koln". Within a tier
the closer spelling wins, then the larger city.

PostgreSQL uses the pg_trgm and unaccent extensions (migration cities/0003) and a trigram GIN
index on ``search_names`` for the substring and the similarity conditions.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, F, IntegerField, Min, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest, Lower

from . import fuzzy
from .forms import QUERY_MAX_LENGTH
from .text import fold

# Trigram similarity is noise for very short queries; they get name matches only.
FUZZY_MIN_LENGTH = fuzzy.MIN_LENGTH
# Close spellings shown at most (they are a fallback, not a listing).
FUZZY_LIMIT = 50

EXACT, PREFIX, WORD, CONTAINS, FUZZY = 0, 1, 2, 3, 4


class Tier:
    NAMES = "names"
    INSIDE = "inside"
    FUZZY = "fuzzy"
    NONE = "none"


@dataclass
class CitySearch:
    """A search's cities and how they were found. ``suggestion`` is the name of the closest
    spelling when only close spellings matched ("Did you mean …?"), else empty."""

    queryset: QuerySet
    key: str
    tier: str
    suggestion: str = ""

    @property
    def is_fuzzy(self) -> bool:
        return self.tier == Tier.FUZZY


def _conditions(key: str) -> tuple[Q, Q, Q, Q]:
    # Keys are "|"-separated and fold() leaves only [a-z0-9 ], so no LIKE wildcard can occur.
    exact = (
        Q(search_names=key)
        | Q(search_names__startswith=f"{key}|")
        | Q(search_names__endswith=f"|{key}")
        | Q(search_names__contains=f"|{key}|")
    )
    prefix = Q(search_names__startswith=key) | Q(search_names__contains=f"|{key}")
    # A later word of the city's own name ("york" in "New York City"); only of its own name:
    # a word inside one of the many alternate names (Slovene "Lin Koln" for Lincoln) is not
    # what someone typing "Köln" means.
    # The first key is always the folded name itself (City.refresh_search_names).
    word = Q(search_names__regex=rf"^[^|]* {key}")
    contains = Q(search_names__contains=key)
    return exact, prefix, word, contains


def find_cities(queryset: QuerySet, query: str, *, by_relevance: bool = True) -> CitySearch:
    """``queryset`` narrowed to the cities whose name matches ``query``, from the strongest
    tier that has any (see the module docstring).

    One query decides the tier (the best bucket among the substring matches); the fuzzy tier
    costs one more (PostgreSQL) or an in-memory lookup plus a query for the hits' ids. With
    ``by_relevance`` the result is ordered best match first; otherwise the caller orders it.
    """
    key = fold(query[:QUERY_MAX_LENGTH])
    if not key:
        # Nothing searchable left (e.g. only punctuation): nothing matches.
        return CitySearch(queryset.none(), key, Tier.NONE)
    exact, prefix, word, contains = _conditions(key)
    bucket = Case(
        When(exact, then=Value(EXACT)),
        When(prefix, then=Value(PREFIX)),
        When(word, then=Value(WORD)),
        default=Value(CONTAINS),
        output_field=IntegerField(),
    )
    best = queryset.filter(contains).order_by().aggregate(best=Min(bucket))["best"]
    if best is not None and best <= WORD:
        # "contains" first: on PostgreSQL it is answered from the trigram index.
        matched, tier = queryset.filter(contains).filter(exact | prefix | word), Tier.NAMES
    elif best is not None:
        matched, tier = queryset.filter(contains), Tier.INSIDE
    elif len(key) >= FUZZY_MIN_LENGTH:
        return _fuzzy(queryset, key, by_relevance=by_relevance)
    else:
        return CitySearch(queryset.none(), key, Tier.NONE)
    if not by_relevance:
        return CitySearch(matched, key, tier)
    matched = matched.annotate(search_bucket=bucket)
    order = [F("search_bucket").asc()]
    if connection.vendor == "postgresql":
        matched = _with_similarity(matched, key)
        order.append(F("search_similarity").desc())
    order += [F("population").desc(nulls_last=True), "name", "pk"]
    return CitySearch(matched.order_by(*order), key, tier)


def search_cities(queryset: QuerySet, query: str, *, by_relevance: bool = True) -> QuerySet:
    """The cities of :func:`find_cities`, as a queryset."""
    return find_cities(queryset, query, by_relevance=by_relevance).queryset


def _with_similarity(queryset: QuerySet, key: str) -> QuerySet:
    from django.contrib.postgres.lookups import Unaccent
    from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity

    # The closest of: any stored key, and the display name itself without accents.
    return queryset.annotate(
        search_similarity=Greatest(
            TrigramWordSimilarity(Value(key), "search_names"),
            TrigramSimilarity(Unaccent(Lower("name")), Value(key)),
        )
    )


def _fuzzy(queryset: QuerySet, key: str, *, by_relevance: bool) -> CitySearch:
    """The close-spellings tier: at most ``FUZZY_LIMIT`` cities, closest first."""
    if connection.vendor == "postgresql":
        table = queryset.model._meta.db_table
        # The key is a bound parameter; the table name comes from the model, never from input.
        # "%>" is pg_trgm's word-similarity operator, answered from the trigram GIN index.
        similar_ids = RawSQL(  # noqa: S611
            f"SELECT id FROM {table} WHERE search_names %%> %s",  # noqa: S608
            (key,),
        )
        matched = _with_similarity(queryset.filter(pk__in=similar_ids), key).order_by(
            F("search_similarity").desc(), F("population").desc(nulls_last=True), "name", "pk"
        )
        names = dict(matched.values_list("pk", "name")[:FUZZY_LIMIT])
        ids = list(names)
    else:
        # The index knows every city; the queryset says which of them this search may show.
        hits = fuzzy.get_index().lookup(key, limit=FUZZY_LIMIT * 4)
        names = dict(queryset.filter(pk__in=[h.city_id for h in hits]).values_list("pk", "name"))
        ids = [h.city_id for h in hits if h.city_id in names][:FUZZY_LIMIT]
    if not ids:
        return CitySearch(queryset.none(), key, Tier.NONE)
    matched = queryset.filter(pk__in=ids)
    suggestion = names[ids[0]]
    if by_relevance:
        rank = Case(
            *(When(pk=pk, then=Value(position)) for position, pk in enumerate(ids)),
            output_field=IntegerField(),
        )
        matched = matched.annotate(search_bucket=Value(FUZZY), fuzzy_rank=rank).order_by(
            "fuzzy_rank"
        )
    return CitySearch(matched, key, Tier.FUZZY, suggestion=suggestion or "")
