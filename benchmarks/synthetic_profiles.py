"""SYNTHETIC challenge profiles for the matching benchmark — not data about any real city.

Fills a benchmark database (its name must start with ``cd_bench``) so that every city has
a profile: 1–8 challenges on themes drawn with a skewed popularity (a few themes are listed
by many cities, most by few), random priorities and seek/offer stances, working languages,
kinds of partnership sought, openness, and for one city in eight a completed initiative.
Seeded, so two runs produce the same profiles. Every row it writes says "Synthetic benchmark
profile" in its description; nothing is marked as sample data, and it refuses to run on a
database whose name does not start with ``cd_bench`` so it can never touch demo or real data.
"""

from __future__ import annotations

import numpy as np

MARK = "Synthetic benchmark profile"
LANGUAGES = ["en", "fr", "es", "de", "pt", "ar", "zh", "ru", "sw", "hi"]


def _refuse_unless_benchmark_database() -> None:
    from django.db import connection

    name = connection.settings_dict["NAME"]
    if not str(name).startswith("cd_bench"):
        raise SystemExit(f"refusing to write synthetic profiles into database {name!r}")


def profiles_present(seed: int) -> bool:
    from cities.models import Challenge

    return Challenge.objects.filter(description=f"{MARK} (seed {seed})").exists()


def generate(*, seed: int = 20261127, stdout=print) -> int:
    """Replace every challenge and initiative in the benchmark database with synthetic ones.

    Returns the number of challenges written.
    """
    from django.db import transaction

    from cities.choices import PartnershipKind, Priority
    from cities.models import Challenge, City, Initiative, InitiativeStatus, Theme

    _refuse_unless_benchmark_database()
    rng = np.random.default_rng(seed)
    mark = f"{MARK} (seed {seed})"
    themes = list(Theme.objects.order_by("pk").values_list("pk", flat=True))
    popularity = 1.0 / np.arange(1, len(themes) + 1) ** 0.9  # Zipf-like
    rng.shuffle(popularity)
    popularity /= popularity.sum()
    city_ids = list(City.objects.order_by("pk").values_list("pk", flat=True))
    priorities = [Priority.HIGH, Priority.MEDIUM, Priority.LOW]
    kinds = list(PartnershipKind.values)

    challenges, initiatives, initiative_themes = [], [], []
    updates = []
    for city_id in city_ids:
        count = int(rng.integers(1, 9))
        chosen = rng.choice(len(themes), size=count, replace=False, p=popularity)
        for t in chosen:
            stance = rng.random()
            challenges.append(
                Challenge(
                    city_id=city_id,
                    theme_id=themes[int(t)],
                    priority=priorities[int(rng.integers(0, 3))],
                    seeks_help=bool(stance < 0.75),
                    offers_expertise=bool(stance >= 0.5),
                    description=mark,
                )
            )
        if rng.random() < 0.125:
            initiatives.append(
                Initiative(
                    city_id=city_id,
                    title="Synthetic initiative",
                    description=mark,
                    status=InitiativeStatus.COMPLETED,
                )
            )
            initiative_themes.append(
                [themes[int(t)] for t in rng.choice(len(themes), size=2, replace=False)]
            )
        languages = list(rng.choice(LANGUAGES, size=int(rng.integers(1, 3)), replace=False, p=None))
        sought = list(rng.choice(kinds, size=int(rng.integers(0, 3)), replace=False))
        updates.append(
            City(
                pk=city_id,
                working_languages=[str(x) for x in languages],
                partnership_kinds_sought=[str(x) for x in sought],
                open_to_partnerships=bool(rng.random() < 0.3),
            )
        )

    with transaction.atomic():
        Challenge.objects.all().delete()
        Initiative.objects.all().delete()
        Challenge.objects.bulk_create(challenges, batch_size=5000)
        created = Initiative.objects.bulk_create(initiatives, batch_size=5000)
        through = Initiative.themes.through
        through.objects.bulk_create(
            [
                through(initiative_id=initiative.pk, theme_id=theme_id)
                for initiative, theme_ids in zip(created, initiative_themes, strict=True)
                for theme_id in theme_ids
            ],
            batch_size=5000,
        )
        City.objects.bulk_update(
            updates,
            ["working_languages", "partnership_kinds_sought", "open_to_partnerships"],
            batch_size=2000,
        )
    stdout(
        f"synthetic profiles: {len(challenges)} challenges, {len(initiatives)} completed "
        f"initiatives for {len(city_ids)} cities (seed {seed})"
    )
    return len(challenges)


if __name__ == "__main__":
    # `make bench` runs every script here; this one is a module of benchmarks/matching.py.
    print("synthetic_profiles: used by benchmarks/matching.py (run that); nothing to do alone.")
