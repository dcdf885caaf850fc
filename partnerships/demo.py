"""Sample partnerships for the demo (``manage.py load_demo``): a few partnerships among the
sample cities, each labelled ``is_sample`` in the data and the UI, with activity logs — and one
silent for years, so the "possibly dormant" flag shows. Idempotent: a re-run changes nothing."""

import datetime

from django.db import transaction
from django.db.models import Max

from cities.choices import PartnershipKind
from cities.models import City, Theme

from .models import (
    Partnership,
    PartnershipActivity,
    PartnershipActivityKind,
    PartnershipSource,
    PartnershipStatus,
)

D = datetime.date

# (city, city, kind, status, since, until, themes, description, [(kind, date, description)])
SAMPLE_PARTNERSHIPS = (
    (
        "kafue",
        "essen",
        PartnershipKind.CLIMATE,
        PartnershipStatus.ACTIVE,
        D(2021, 5, 1),
        None,
        ["flooding", "renewable-energy"],
        "Sample climate partnership: river-flood early warning and solar mini-grids.",
        [
            (
                PartnershipActivityKind.MEETING,
                D(2023, 3, 14),
                "Kick-off of the flood working group",
            ),
            (PartnershipActivityKind.VISIT, D(2024, 9, 20), "Technical visit to the river gauges"),
            (PartnershipActivityKind.JOINT_PROJECT, D(2025, 6, 2), "Joint solar pilot started"),
        ],
    ),
    (
        "recife",
        "dortmund",
        PartnershipKind.PROJECT,
        PartnershipStatus.ACTIVE,
        D(2019, 10, 1),
        None,
        ["informal-settlements", "water-sanitation"],
        "Sample project partnership on upgrading informal settlements.",
        [
            (PartnershipActivityKind.EXCHANGE, D(2022, 4, 11), "Staff exchange of planners"),
            (PartnershipActivityKind.MEETING, D(2025, 11, 5), "Online review of the pilot area"),
        ],
    ),
    (
        "tunis",
        "bochum",
        PartnershipKind.PEER_LEARNING,
        PartnershipStatus.ACTIVE,
        D(2017, 2, 1),
        None,
        ["structural-change", "digital-administration"],
        "Sample peer-learning exchange; nothing recorded for years, so it shows as possibly "
        "dormant.",
        [(PartnershipActivityKind.MEETING, D(2022, 3, 8), "Last workshop on e-government")],
    ),
    (
        "san-antonio",
        "duisburg",
        PartnershipKind.FRIENDSHIP,
        PartnershipStatus.ENDED,
        D(2012, 6, 1),
        D(2020, 6, 1),
        ["culture-heritage"],
        "Sample friendship that ended.",
        [(PartnershipActivityKind.VISIT, D(2018, 5, 17), "Youth orchestra visit")],
    ),
    (
        "gelsenkirchen",
        "kafue",
        PartnershipKind.CONTACT,
        PartnershipStatus.ACTIVE,
        D(2025, 2, 1),
        None,
        ["structural-change"],
        "Sample contact after a match suggestion.",
        [(PartnershipActivityKind.MEETING, D(2025, 2, 20), "First video call")],
    ),
)


def load(*, stdout) -> None:
    """Create the sample partnerships whose cities exist; skip the others with a note."""
    slugs = {slug for row in SAMPLE_PARTNERSHIPS for slug in row[:2]}
    cities = City.objects.in_bulk(list(slugs), field_name="slug")
    themes = {t.slug: t for t in Theme.objects.all()}
    created = 0
    with transaction.atomic():
        for (
            first,
            second,
            kind,
            status,
            since,
            until,
            theme_slugs,
            text,
            log,
        ) in SAMPLE_PARTNERSHIPS:
            if first not in cities or second not in cities:
                stdout.write(f"  sample partnership {first}–{second} skipped: city missing")
                continue
            city_a, city_b = Partnership.ordered_pair(cities[first], cities[second])
            partnership, was_created = Partnership.objects.get_or_create(
                city_a=city_a,
                city_b=city_b,
                kind=kind,
                defaults={
                    "status": status,
                    "since": since,
                    "until": until,
                    "description": text,
                    "source": PartnershipSource.CURATED,
                    "is_sample": True,
                },
            )
            if not was_created:
                continue
            created += 1
            partnership.themes.set([themes[s] for s in theme_slugs if s in themes])
            PartnershipActivity.objects.bulk_create(
                PartnershipActivity(partnership=partnership, kind=k, date=d, description=desc)
                for k, d, desc in log
            )
            last = partnership.activities.aggregate(last=Max("date"))["last"]
            Partnership.objects.filter(pk=partnership.pk).update(last_activity_on=last)
    stdout.write(f"Sample partnerships: {created} created.")
