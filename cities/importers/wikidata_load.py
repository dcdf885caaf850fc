"""Write the derived Wikidata links (``cities/data/wikidata_links.json``) into the directory:
each city's Wikidata Q-id, and the members of networks whose member list is published
(Eurocities). Bulk, idempotent; never overwrites what a person entered."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Exists, OuterRef

from ..models import City, Membership, Organisation, OrganisationCurator, OrganisationKind
from .wikidata import Network, WikidataLinks, read_links

BATCH_SIZE = 2000


@dataclass
class WikidataIdsResult:
    assigned: int = 0
    unchanged: int = 0
    # The city already carries another Q-id (set by a person in the admin): left as it is.
    kept_different: int = 0
    # The GeoNames id is not in the directory (e.g. after ``import_cities --countries DE``).
    not_in_directory: int = 0


def analyze(*tables: str) -> None:
    """Refresh the planner's statistics after a bulk load (PostgreSQL only; SQLite and others
    plan without them)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def city_wikidata_ids_assign(*, links: WikidataLinks) -> WikidataIdsResult:
    """Give every directory city in ``links.cities`` its Wikidata Q-id.

    Guarantees: only cities with an empty ``wikidata_id`` are written (one ``bulk_update`` per
    batch, one transaction); a city whose Q-id differs is counted and kept; re-running with
    the same file writes nothing."""
    result = WikidataIdsResult()
    qid_of = {geonames_id: qid for qid, geonames_id in links.cities.items()}
    changed = []
    rows = City.objects.filter(geonames_id__isnull=False).only("pk", "geonames_id", "wikidata_id")
    found = set()
    for city in rows.iterator(chunk_size=BATCH_SIZE):
        qid = qid_of.get(city.geonames_id)
        if qid is None:
            continue
        found.add(city.geonames_id)
        if city.wikidata_id == qid:
            result.unchanged += 1
        elif city.wikidata_id:
            result.kept_different += 1
        else:
            city.wikidata_id = qid
            changed.append(city)
    result.not_in_directory = len(qid_of) - len(found)
    if changed:
        with transaction.atomic():
            City.objects.bulk_update(changed, ["wikidata_id"], batch_size=BATCH_SIZE)
        analyze(City._meta.db_table)
    result.assigned = len(changed)
    return result


@dataclass
class NetworkImportResult:
    organisation: Organisation | None = None
    organisation_created: bool = False
    added: int = 0
    removed: int = 0
    unchanged: int = 0
    not_in_directory: list[str] = field(default_factory=list)
    # The organisation has curators: they keep its member list, the import leaves it alone.
    left_to_curators: bool = False


def _as_of_date(as_of: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(f"{as_of}-01" if len(as_of) == 7 else as_of)
    except ValueError:
        return None


def network_members_import(*, network: Network) -> NetworkImportResult:
    """Create (or find, by slug) the network's organisation and make its imported
    memberships match the published list.

    Guarantees: memberships entered by people are never added to, changed or removed; an
    organisation with curators is left to them entirely (its list is theirs); cities not in
    the directory are reported, not created; one transaction; a re-run changes nothing."""
    result = NetworkImportResult()
    with transaction.atomic():
        organisation, created = Organisation.objects.get_or_create(
            slug=network.slug,
            defaults={
                "name": network.name,
                "kind": OrganisationKind.NETWORK,
                "website": network.website,
                "members_source": network.source,
                "members_as_of": _as_of_date(network.as_of),
            },
        )
        result.organisation, result.organisation_created = organisation, created
        if OrganisationCurator.objects.filter(organisation=organisation).exists():
            result.left_to_curators = True
            return result
        as_of = _as_of_date(network.as_of)
        if (organisation.members_source, organisation.members_as_of) != (network.source, as_of):
            organisation.members_source, organisation.members_as_of = network.source, as_of
            organisation.save(update_fields=["members_source", "members_as_of", "updated_at"])

        city_of = dict(
            City.objects.filter(
                geonames_id__in=[m.geonames_id for m in network.members]
            ).values_list("geonames_id", "pk")
        )
        wanted = set()
        for member in network.members:
            city_pk = city_of.get(member.geonames_id)
            if city_pk is None:
                result.not_in_directory.append(member.name)
            else:
                wanted.add(city_pk)
        existing = dict(
            Membership.objects.filter(organisation=organisation).values_list(
                "city_id", "is_imported"
            )
        )
        new = [
            Membership(organisation=organisation, city_id=pk, is_imported=True)
            for pk in sorted(wanted - set(existing))
        ]
        Membership.objects.bulk_create(new, batch_size=BATCH_SIZE)
        gone = [pk for pk, imported in existing.items() if imported and pk not in wanted]
        if gone:
            Membership.objects.filter(organisation=organisation, city_id__in=gone).delete()
        result.added, result.removed = len(new), len(gone)
        result.unchanged = len(wanted & set(existing))
    if new or gone:
        analyze(Membership._meta.db_table)
    return result


def listed_organisations():
    """Organisations with an imported member list and no curator: shown as "listed"."""
    return Organisation.objects.exclude(members_source="").exclude(
        Exists(OrganisationCurator.objects.filter(organisation=OuterRef("pk")))
    )


def demo_load(*, stdout) -> None:
    """DEMO_STEPS: the cities' Wikidata Q-ids and the Eurocities members (idempotent)."""
    links = read_links()
    ids = city_wikidata_ids_assign(links=links)
    stdout.write(
        f"Wikidata ids: {ids.assigned} assigned, {ids.unchanged} unchanged, "
        f"{ids.kept_different} kept (a different id was set by hand), "
        f"{ids.not_in_directory} cities not in the directory."
    )
    for network in links.networks:
        result = network_members_import(network=network)
        if result.left_to_curators:
            stdout.write(f"{network.name}: kept by its curators, member list not imported.")
            continue
        stdout.write(
            f"{network.name}: {result.added} members added, {result.removed} removed, "
            f"{result.unchanged} unchanged, {len(result.not_in_directory)} not in the directory."
        )
