"""Finding cities by name in any spelling.

Every city stores folded name keys in ``search_names`` ("dusseldorf|duesseldorf|…", see
``cities.text``). A query is folded the same way, so "Düsseldorf", "Dusseldorf" and
"duesseldorf" all meet the key of Düsseldorf, and "sao paulo" the key of São Paulo.

Relevance: a key equal to the query first, then a key starting with it, then any key containing
it, then (PostgreSQL only) fuzzy matches by trigram word similarity, which forgive typos such
as "dusseldrof". Within a bucket the closer spelling wins, then the larger city — so
``?q=dusseldorf`` lists Düsseldorf before a small namesake.

PostgreSQL uses the pg_trgm and unaccent extensions (migration cities/0003) and a trigram GIN
index on ``search_names``; SQLite, the embedded default, gets the same buckets without the fuzzy
step, from a plain ``LIKE`` over the same keys.
"""

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest, Lower

from .forms import QUERY_MAX_LENGTH
from .text import fold

# Trigram similarity is noise for very short queries; they get substring matches only.
FUZZY_MIN_LENGTH = 4

EXACT, PREFIX, CONTAINS, FUZZY = 0, 1, 2, 3


def search_cities(queryset: QuerySet, query: str, *, by_relevance: bool = True) -> QuerySet:
    """``queryset`` narrowed to cities whose name matches ``query`` in any spelling.

    With ``by_relevance`` the result is ordered best match first; otherwise it keeps no
    particular order and the caller orders it.
    """
    key = fold(query[:QUERY_MAX_LENGTH])
    if not key:
        # Nothing searchable left (e.g. only punctuation): nothing matches.
        return queryset.none()
    # Keys are "|"-separated and fold() leaves only [a-z0-9 ], so no LIKE wildcard can occur.
    exact = (
        Q(search_names=key)
        | Q(search_names__startswith=f"{key}|")
        | Q(search_names__endswith=f"|{key}")
        | Q(search_names__contains=f"|{key}|")
    )
    prefix = Q(search_names__startswith=key) | Q(search_names__contains=f"|{key}")
    contains = Q(search_names__contains=key)
    fuzzy = connection.vendor == "postgresql" and len(key) >= FUZZY_MIN_LENGTH

    if fuzzy:
        # One indexed scan per condition, united. Written as "LIKE … OR %> …" the planner
        # underrates the similarity function and scans all 34,000 rows (≈ 180 ms instead of 7).
        table = queryset.model._meta.db_table
        # The key is a bound parameter; the table name comes from the model, never from input.
        matching_ids = RawSQL(  # noqa: S611
            f"SELECT id FROM {table} WHERE search_names LIKE %s "  # noqa: S608
            f"UNION SELECT id FROM {table} WHERE search_names %%> %s",
            (f"%{key}%", key),
        )
        queryset = queryset.filter(pk__in=matching_ids)
    else:
        queryset = queryset.filter(contains)
    if not by_relevance:
        return queryset

    bucket = Case(
        When(exact, then=Value(EXACT)),
        When(prefix, then=Value(PREFIX)),
        When(contains, then=Value(CONTAINS)),
        default=Value(FUZZY),
        output_field=IntegerField(),
    )
    queryset = queryset.annotate(search_bucket=bucket)
    order = [F("search_bucket").asc()]
    if connection.vendor == "postgresql":
        from django.contrib.postgres.lookups import Unaccent
        from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity

        # The closest of: any stored key, and the display name itself without accents.
        queryset = queryset.annotate(
            search_similarity=Greatest(
                TrigramWordSimilarity(Value(key), "search_names"),
                TrigramSimilarity(Unaccent(Lower("name")), Value(key)),
            )
        )
        order.append(F("search_similarity").desc())
    order += [F("population").desc(nulls_last=True), "name", "pk"]
    return queryset.order_by(*order)
