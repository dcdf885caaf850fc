"""Permission matrix entries for the matching pages (docs/matching.md).

Suggestions are derived only from public profile data, so the matches page of a published city
is public, like its profile; an unpublished city's page is a 404 to those who cannot see it.
"""

from .matrix import EVERYONE, Entry

ENTRIES = [
    Entry(
        "partnerships:matches",
        kwargs=lambda w: {"slug": w.city.slug},
        methods={"GET": EVERYONE},
        reason="suggested partners of a published city: public, like the profile (GET only)",
    ),
    Entry(
        "partnerships:matches",
        kwargs=lambda w: {"slug": w.city.slug},
        query="?applied=1&shared=-1&expertise=1&climate=1&context=1",
        methods={"GET": EVERYONE},
        reason="bad weights re-render the form with an error, never a 500",
    ),
]
