"""Networks with a published member list (Eurocities): imported, idempotent, and never over
what people entered or what curators keep."""

import datetime

import pytest
from django.urls import reverse

from cities.importers.wikidata import Network, NetworkMember, read_links
from cities.importers.wikidata_load import listed_organisations, network_members_import
from cities.models import Membership, Organisation

from .factories import CityFactory, CuratorFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def eurocities(*members):
    return Network(
        slug="eurocities",
        name="Eurocities",
        website="https://eurocities.eu/",
        source="Eurocities member list (eurocities.eu)",
        as_of="2025-06",
        members=tuple(NetworkMember(qid, gid, name) for qid, gid, name in members),
    )


@pytest.fixture
def cities():
    return {
        "dusseldorf": CityFactory(name="Düsseldorf", geonames_id=2934246),
        "malmo": CityFactory(name="Malmö", geonames_id=2692969, country="SE"),
        "lyon": CityFactory(name="Lyon", geonames_id=2996944, country="FR"),
    }


MEMBERS = [("Q1718", 2934246, "Dusseldorf"), ("Q2211", 2692969, "Malmo")]


def members_of(slug):
    return set(Organisation.objects.get(slug=slug).members.values_list("name", flat=True))


def test_it_creates_the_network_with_its_members_source_and_date(cities):
    result = network_members_import(network=eurocities(*MEMBERS, ("Q90", 2988507, "Paris")))

    network = Organisation.objects.get(slug="eurocities")
    assert network.kind == "network"
    assert network.members_source.startswith("Eurocities member list")
    assert network.members_as_of == datetime.date(2025, 6, 1)
    assert members_of("eurocities") == {"Düsseldorf", "Malmö"}
    assert (result.added, result.not_in_directory) == (2, ["Paris"])
    assert list(listed_organisations()) == [network]  # no curator: shown as "listed"


def test_a_rerun_changes_nothing(cities):
    network_members_import(network=eurocities(*MEMBERS))
    before = sorted(Membership.objects.values_list("pk", "city", "organisation"))

    result = network_members_import(network=eurocities(*MEMBERS))

    assert (result.added, result.removed, result.unchanged) == (0, 0, 2)
    assert sorted(Membership.objects.values_list("pk", "city", "organisation")) == before


def test_a_member_that_left_is_removed_but_memberships_entered_by_people_stay(cities):
    network_members_import(network=eurocities(*MEMBERS))
    network = Organisation.objects.get(slug="eurocities")
    MembershipFactory(organisation=network, city=cities["lyon"])  # entered by a person

    result = network_members_import(network=eurocities(MEMBERS[0]))

    assert result.removed == 1
    assert members_of("eurocities") == {"Düsseldorf", "Lyon"}


def test_a_network_with_curators_is_left_to_them(cities):
    network_members_import(network=eurocities(MEMBERS[0]))
    network = Organisation.objects.get(slug="eurocities")
    CuratorFactory(organisation=network)

    result = network_members_import(network=eurocities(*MEMBERS))

    assert result.left_to_curators
    assert members_of("eurocities") == {"Düsseldorf"}
    assert list(listed_organisations()) == []


def test_the_committed_file_lists_eurocities_with_its_large_members():
    network = {n.slug: n for n in read_links().networks}["eurocities"]
    geonames_ids = {m.geonames_id for m in network.members}
    # Düsseldorf, Malmö, Rotterdam, Bologna, İzmir — and Stockholm, which Eurocities lists
    # by its municipality's Wikidata item.
    assert {2934246, 2692969, 2747891, 3181928, 311046, 2673730} <= geonames_ids


# --- the directory and the profile show the network --------------------------------------


def test_the_directory_lists_the_networks_members_with_its_source_and_listed_state(client, cities):
    network_members_import(network=eurocities(*MEMBERS))
    CityFactory(name="Not a member")

    response = client.get(reverse("cities:list"), {"organisation": "eurocities"})

    assert response.status_code == 200
    assert [c.name for c in response.context["page"].object_list] == ["Düsseldorf", "Malmö"]
    page = response.content.decode()
    assert "listed" in page
    assert "Member list: Eurocities member list (eurocities.eu), as of June 2025" in page
    assert "2 member cities in the directory" in page


def test_the_member_filter_groups_organisations_by_kind(client, cities):
    network_members_import(network=eurocities(*MEMBERS))
    OrganisationFactory(name="Deutscher Städtetag", slug="dst", kind="association")

    page = client.get(reverse("cities:list")).content.decode()

    networks = page.index('<optgroup label="City network">')
    associations = page.index('<optgroup label="Association of cities">')
    assert associations < page.index(">Deutscher Städtetag<") < networks
    assert networks < page.index(">Eurocities<")


def test_a_network_kept_by_curators_is_not_shown_as_listed(client, cities):
    network_members_import(network=eurocities(*MEMBERS))
    CuratorFactory(organisation=Organisation.objects.get(slug="eurocities"))

    page = client.get(reverse("cities:list"), {"organisation": "eurocities"}).content.decode()

    assert "badge-listed" not in page


def test_the_profile_names_the_source_of_an_imported_membership(client, cities):
    network_members_import(network=eurocities(*MEMBERS))

    page = client.get(cities["dusseldorf"].get_absolute_url()).content.decode()

    assert "Eurocities" in page
    assert "source: Eurocities member list (eurocities.eu), June 2025" in page
