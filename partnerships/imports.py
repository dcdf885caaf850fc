"""Import the world's twinnings (Wikidata P190) into the registry: ``import_partnerships``.

Every pair of the derived file (``cities/data/wikidata_links.json``) whose two Wikidata items
are directory cities becomes a partnership of kind twinning, source "imported", provenance
"Wikidata" with both Q-ids, status unknown and unconfirmed — nobody has said it is alive — and
no start date (the data has none).

Idempotent and respectful of people's work:

- the key is the unordered pair of cities: a re-run finds the row it made (whatever kind a
  reviewer gave it since) and never makes a second one;
- a row a city or curator confirmed, corrected, ended or rejected ("not a partnership") is
  never changed again, and a rejected pair is not brought back;
- a pair the cities already recorded themselves (a request, a curator) is left alone;
- a pair that disappeared from the source is flagged for review (``missing_upstream_since``),
  never deleted; it is unflagged if it comes back.

Bad rows are skipped and counted by reason: malformed Q-id, self-pair, duplicate (also
reversed), unknown Q-id (no directory city carries it), ambiguous (two cities carry it).
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from cities.choices import PartnershipKind
from cities.importers.wikidata import WikidataLinks, is_qid, qid_number, read_links
from cities.importers.wikidata_load import analyze, city_wikidata_ids_assign
from cities.models import City

from .models import (
    WIKIDATA_PROVENANCE,
    Partnership,
    PartnershipConfirmation,
    PartnershipEvent,
    PartnershipEventKind,
    PartnershipSource,
    PartnershipStatus,
)

BATCH_SIZE = 2000
# What the import owns on an unconfirmed row and may rewrite.
IMPORT_FIELDS = ("provenance", "source_as_of", "wikidata_a", "wikidata_b", "missing_upstream_since")


class SkipReason:
    MALFORMED = "malformed Q-id"
    SELF_PAIR = "self-pair"
    DUPLICATE = "duplicate"
    UNKNOWN = "unknown Q-id (no directory city)"
    AMBIGUOUS = "ambiguous (two directory cities carry the Q-id)"


@dataclass
class PartnershipImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    flagged: int = 0
    # Rows a city or curator confirmed, corrected, ended or rejected: left exactly as they are.
    reviewed_kept: int = 0
    # Pairs the cities recorded themselves (request, curator): no imported row beside them.
    already_recorded: int = 0
    skipped: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    def summary(self) -> str:
        reasons = ", ".join(f"{count} {reason}" for reason, count in sorted(self.skipped.items()))
        return (
            f"Partnerships from Wikidata: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.flagged} flagged (no longer in the source), "
            f"{self.reviewed_kept} kept as reviewed by cities or curators, "
            f"{self.already_recorded} already recorded by the cities; "
            f"{self.skipped_total} skipped{f' ({reasons})' if reasons else ''} "
            f"({self.seconds:.1f} s)."
        )


def _cities_by_qid() -> dict[str, list[int]]:
    cities: dict[str, list[int]] = {}
    for pk, qid in City.objects.exclude(wikidata_id="").values_list("pk", "wikidata_id"):
        cities.setdefault(qid.strip(), []).append(pk)
    return cities


def partnerships_import(*, links: WikidataLinks, now=None) -> PartnershipImportResult:
    """Bring the registry in step with ``links.twinnings`` (see the module docstring).

    Cities are found by their ``wikidata_id`` (``city_wikidata_ids_assign`` fills it from the
    same file). All writes happen in one transaction with ``bulk_create``/``bulk_update``; a
    row a person reviewed is never in them. Returns the counts."""
    started = time.monotonic()
    now = now or timezone.now()
    result = PartnershipImportResult()
    cities = _cities_by_qid()

    source_pairs: set[tuple[str, str]] = set()  # every well-formed Q-id pair of the source
    wanted: dict[tuple[int, int], dict] = {}  # city pair → the import's field values
    for row in links.twinnings:
        qa, qb = row.qid_a.strip(), row.qid_b.strip()
        if not (is_qid(qa) and is_qid(qb)):
            result.skipped[SkipReason.MALFORMED] += 1
            continue
        if qa == qb:
            result.skipped[SkipReason.SELF_PAIR] += 1
            continue
        key = (qa, qb) if qid_number(qa) < qid_number(qb) else (qb, qa)
        if key in source_pairs:
            result.skipped[SkipReason.DUPLICATE] += 1
            continue
        source_pairs.add(key)
        ends = [cities.get(q, []) for q in key]
        if any(len(pks) > 1 for pks in ends):
            result.skipped[SkipReason.AMBIGUOUS] += 1
            continue
        if not all(ends):
            result.skipped[SkipReason.UNKNOWN] += 1
            continue
        (pk_1,), (pk_2,) = ends
        if pk_1 == pk_2:  # two items of one city
            result.skipped[SkipReason.SELF_PAIR] += 1
            continue
        pair = (pk_1, pk_2) if pk_1 < pk_2 else (pk_2, pk_1)
        if pair in wanted:  # the same two cities again, through other items
            result.skipped[SkipReason.DUPLICATE] += 1
            continue
        qid_of = {pk_1: key[0], pk_2: key[1]}
        wanted[pair] = {
            "provenance": WIKIDATA_PROVENANCE,
            "source_as_of": row.as_of[:20],
            "wikidata_a": qid_of[pair[0]],
            "wikidata_b": qid_of[pair[1]],
            "missing_upstream_since": None,
        }

    imported: dict[tuple[int, int], Partnership] = {}
    recorded: set[tuple[int, int]] = set()
    rows = Partnership.objects.only(
        "pk", "city_a_id", "city_b_id", "source", "confirmation", *IMPORT_FIELDS
    ).order_by("pk")
    for partnership in rows.iterator(chunk_size=BATCH_SIZE):
        pair = (partnership.city_a_id, partnership.city_b_id)
        if partnership.source == PartnershipSource.IMPORTED and partnership.provenance == (
            WIKIDATA_PROVENANCE
        ):
            imported.setdefault(pair, partnership)
        else:
            recorded.add(pair)

    to_create, returned = [], []
    # Rows to update, grouped by what changes: a new snapshot is one UPDATE for all of them,
    # not one CASE per row and field (bulk_update took 6 s for 8,000 rows).
    to_update: dict[tuple, list[int]] = defaultdict(list)
    for pair, values in wanted.items():
        existing = imported.get(pair)
        if existing is None:
            if pair in recorded:
                result.already_recorded += 1
                continue
            to_create.append(
                Partnership(
                    city_a_id=pair[0],
                    city_b_id=pair[1],
                    kind=PartnershipKind.TWINNING,
                    status=PartnershipStatus.UNKNOWN,
                    source=PartnershipSource.IMPORTED,
                    confirmation=PartnershipConfirmation.UNCONFIRMED,
                    **values,
                )
            )
        elif existing.confirmation != PartnershipConfirmation.UNCONFIRMED:
            result.reviewed_kept += 1
        elif all(getattr(existing, name) == value for name, value in values.items()):
            result.unchanged += 1
        else:
            if existing.missing_upstream_since is not None:
                returned.append(existing.pk)
            changes = tuple(
                (name, value) for name, value in values.items() if getattr(existing, name) != value
            )
            to_update[changes].append(existing.pk)

    # Imported rows whose Q-id pair is gone from the source: flag the unconfirmed ones once.
    vanished = []
    for pair, partnership in imported.items():
        if pair in wanted:
            continue
        items = (partnership.wikidata_a, partnership.wikidata_b)
        key = tuple(sorted(items, key=lambda q: qid_number(q) if is_qid(q) else 0))
        if key in source_pairs:
            continue  # still in the source, only unresolvable this time (counted as skipped)
        if partnership.confirmation != PartnershipConfirmation.UNCONFIRMED:
            result.reviewed_kept += 1
        elif partnership.missing_upstream_since is None:
            vanished.append(partnership.pk)
        else:
            result.unchanged += 1

    with transaction.atomic():
        Partnership.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        updated = 0
        for changes, pks in to_update.items():
            for start in range(0, len(pks), BATCH_SIZE):
                # Conditional, like the flag below: a row confirmed meanwhile is left alone.
                updated += Partnership.objects.filter(
                    pk__in=pks[start : start + BATCH_SIZE],
                    confirmation=PartnershipConfirmation.UNCONFIRMED,
                ).update(**dict(changes), updated_at=now)
        # Conditional: a row a reviewer confirmed meanwhile is not flagged.
        flagged_ids = list(
            Partnership.objects.filter(
                pk__in=vanished, confirmation=PartnershipConfirmation.UNCONFIRMED
            ).values_list("pk", flat=True)
        )
        Partnership.objects.filter(pk__in=flagged_ids).update(
            missing_upstream_since=now, updated_at=now
        )
        PartnershipEvent.objects.bulk_create(
            [
                PartnershipEvent(
                    partnership_id=pk,
                    kind=PartnershipEventKind.FLAGGED,
                    note=WIKIDATA_PROVENANCE,
                    created_at=now,
                )
                for pk in flagged_ids
            ]
            + [
                PartnershipEvent(
                    partnership_id=pk,
                    kind=PartnershipEventKind.RETURNED,
                    note=WIKIDATA_PROVENANCE,
                    created_at=now,
                )
                for pk in returned
            ],
            batch_size=BATCH_SIZE,
        )
    result.created, result.updated, result.flagged = len(to_create), updated, len(flagged_ids)
    result.reviewed_kept += len(vanished) - len(flagged_ids)
    if to_create or updated or flagged_ids:
        analyze(Partnership._meta.db_table, PartnershipEvent._meta.db_table)
    result.seconds = time.monotonic() - started
    return result


def demo_load(*, stdout) -> None:
    """DEMO_STEPS: the cities' Wikidata ids, then the twinnings between them (idempotent)."""
    links = read_links()
    ids = city_wikidata_ids_assign(links=links)
    stdout.write(f"Wikidata ids: {ids.assigned} assigned, {ids.unchanged} unchanged.")
    stdout.write(partnerships_import(links=links).summary())
