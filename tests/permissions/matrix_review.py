"""Permission matrix entries for the registry's map data and the review of imported
partnerships (docs/data.md).

- The review list is for anyone who staffs or curates a city (and site admins); members
  without a city get a 403, anonymous visitors the sign-in page.
- Confirm, correct and reject an imported partnership: staff of either city, curators of
  either city, site admins. Everyone else: 403 when they can see the partnership (an imported
  one is public), or the sign-in page.
- A partnership between "this" city (kafue) and a third city: recife's staff and the curator
  of recife's network may not touch it.
"""

from tests.partnerships.factories import PartnershipFactory

from .matrix import ADMIN, CURATOR_OTHER, CURATOR_THIS, EVERYONE, STAFF_OTHER, STAFF_THIS, Entry

REVIEWERS_BOTH = frozenset({STAFF_THIS, STAFF_OTHER, CURATOR_THIS, CURATOR_OTHER, ADMIN})
REVIEWERS_THIS = frozenset({STAFF_THIS, CURATOR_THIS, ADMIN})

IMPORTED = {
    "kind": "twinning",
    "status": "unknown",
    "since": None,
    "source": "imported",
    "confirmation": "unconfirmed",
    "provenance": "Wikidata",
    "wikidata_a": "Q1",
    "wikidata_b": "Q2",
}


def _imported_pair(world):
    return {"pk": PartnershipFactory(first=world.city, second=world.other_city, **IMPORTED).pk}


def _imported_with_third_city(world):
    from tests.cities.factories import CityFactory

    third = CityFactory(name="Lusaka", slug="lusaka", country="ZM")
    return {"pk": PartnershipFactory(first=world.city, second=third, **IMPORTED).pk}


CORRECTION = {"kind": "friendship", "status": "active", "since": "2001-05-01", "until": ""}

ENTRIES = [
    Entry(
        "partnerships:map_data",
        query="?source=imported&continent=AF",
        methods={"GET": EVERYONE},
        reason="the registry's map data is public; each persona gets what it may see",
    ),
    Entry(
        "partnerships:review",
        methods={"GET": REVIEWERS_BOTH},
        reason="the review list of anyone who staffs or curates a city",
    ),
    Entry(
        "partnerships:review",
        query="?city=kafue&state=all",
        methods={"GET": REVIEWERS_THIS},
        reason="one city's list: its staff and curators (403 for others)",
    ),
    *[
        entry
        for kwargs, allowed, who in (
            (_imported_pair, REVIEWERS_BOTH, "staff or curators of either city"),
            (_imported_with_third_city, REVIEWERS_THIS, "only kafue's staff and curators"),
        )
        for entry in (
            Entry(
                "partnerships:confirm",
                kwargs=kwargs,
                methods={"POST": allowed},
                data=lambda w, k: {"kind": "", "status": "active", "since": ""},
                reason=f"confirm an imported partnership: {who}",
            ),
            Entry(
                "partnerships:correct",
                kwargs=kwargs,
                methods={"GET": allowed, "POST": allowed},
                data=lambda w, k: dict(CORRECTION),
                reason=f"correct an imported partnership: {who}",
            ),
            Entry(
                "partnerships:reject",
                kwargs=kwargs,
                methods={"POST": allowed},
                data=lambda w, k: {"note": "A friendship of the choirs, not of the cities."},
                reason=f"mark an imported partnership as not a partnership: {who}",
            ),
        )
    ],
]
