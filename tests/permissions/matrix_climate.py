"""Permission matrix entries of the climate pages (read-only, public for published cities)."""

from .matrix import EVERYONE, Entry

ENTRIES = [
    Entry(
        "cities:climate",
        kwargs=lambda w: {"slug": w.city.slug},
        methods={"GET": EVERYONE},
        query="?warming=ssp585-2085",
        reason="A published city's climate page is public; it only reads.",
    ),
    Entry(
        "cities:climate_compare",
        kwargs=lambda w: {"slug": w.city.slug, "other_slug": w.other_city.slug},
        methods={"GET": EVERYONE},
        reason="Comparing the climates of two published cities is public; it only reads.",
    ),
]
