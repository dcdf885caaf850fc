"""Permission matrix entries for the city directory: every page is public and read-only."""

from .matrix import EVERYONE, Entry

ENTRIES = [
    Entry(
        "cities:list",
        methods={"GET": EVERYONE},
        query="?q=kafue&open=on",
        reason="The directory is public.",
    ),
    Entry(
        "cities:suggest",
        methods={"GET": EVERYONE},
        query="?q=kaf",
        reason="Name suggestions for the search box: published cities' names, like the list.",
    ),
    Entry(
        "cities:map_data",
        methods={"GET": EVERYONE},
        query="?country=ZM",
        reason="Map points (name, position, slug) of published cities are public.",
    ),
    Entry(
        "cities:export_csv",
        methods={"GET": EVERYONE},
        reason="The export holds public fields of published cities only, never contact details.",
    ),
    Entry(
        "cities:detail",
        kwargs=lambda w: {"slug": w.city.slug},
        methods={"GET": EVERYONE},
        reason="Published profiles are public; contact details follow their visibility.",
    ),
]
