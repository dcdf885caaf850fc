"""Published city climate analogues the climate-twin benchmark checks against.

Fixed before the benchmark was first run and never tuned against: each entry is a city, the
place(s) a published study or a city names as its future climate analogue, the study's period
and scenario, and the scenario of ours closest to it (decided from the study's wording alone).
Where a study names an area rather than one city ("between Nantes and Bordeaux") every named
city counts. Cities are GeoNames places (name, country, and an admin-1 code where a name is
ambiguous).

Sources
-------
BASTIN: Bastin, J.-F. et al. (2019), Understanding climate change from a global analysis of
    city analogues, PLOS ONE 14(7): e0217592, doi:10.1371/journal.pone.0217592 — 520 major
    cities, 2050 under RCP4.5, 19 bioclimatic variables (WorldClim). Abstract: Madrid →
    Marrakech, Stockholm → Budapest, London → Barcelona, Moscow → Sofia, Seattle → San
    Francisco, Tokyo → Changsha; Results: Portland → San Antonio, San Francisco → Lisbon.
BASTIN_PRESS: further pairs of the same study's table (S2 Table / the Crowther Lab map) as
    reported when it appeared: The Guardian, 10 July 2019, "London to have climate similar to
    Barcelona by 2050" (New York → Virginia Beach); National Geographic UK, July 2019,
    "London's climate will resemble Barcelona's by 2050, study reveals" (Edinburgh → Paris,
    Cardiff → Montevideo, Barcelona → Adelaide, Milan → Dallas); Washington → Nashville
    (same coverage).
REUTER: Reuter, L. et al. (2023), Modelling climate analogue regions for a central European
    city, Climatic Change 176, doi:10.1007/s10584-023-03531-2 — EURO-CORDEX, 2071–2100:
    Aachen → Dijon (RCP4.5); under RCP8.5 no clear analogue, nearest Florence and Prato.
UBA: Renner, K., Schauser, I. et al., Climate analogues of German cities for the Climate
    Impact and Risk Assessment for Germany 2021 (Eurac Research for the Umweltbundesamt;
    Climate Services, April 2023, "Analysing spatial patterns of climate change: Climate
    clusters, hotspots and analogues …"); as published by the UBA, "Klimatische
    Zwillingsstädte in Europa" (December 2021) and reported by rbb24 (July 2022) and
    klimareporter.de: Berlin 2031–2060 → Bourges; Hamburg 2071–2100 → the French Atlantic
    coast between Nantes and Bordeaux; the analogues are European climates of 1961–1990,
    under unabated warming.
DUSSELDORF: Landeshauptstadt Düsseldorf, LIFE Green Heart, "Zusammenarbeit unter
    Klimazwillingen" (2023): climate projections show Düsseldorf's temperatures at the end
    of the century matching Toulouse's today; the Düsseldorf–Toulouse–Tunis climate-triplet
    partnership ("Klimadrillinge", Deutsch-Französisches Jugendwerk) adds Toulouse → Tunis.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    name: str
    country: str
    admin1: str = ""  # GeoNames admin-1 code where the name is ambiguous


@dataclass(frozen=True)
class Analogue:
    city: Place
    analogues: tuple[Place, ...]
    source: str
    published: str  # the study's period and scenario
    scenario: str  # our closest choice


P = Place
ANALOGUES: tuple[Analogue, ...] = (
    # Bastin et al. (2019), text of the paper.
    Analogue(P("Madrid", "ES"), (P("Marrakesh", "MA"),), "BASTIN", "2050 RCP4.5", "ssp245-2050"),
    Analogue(P("Stockholm", "SE"), (P("Budapest", "HU"),), "BASTIN", "2050 RCP4.5", "ssp245-2050"),
    Analogue(P("London", "GB"), (P("Barcelona", "ES"),), "BASTIN", "2050 RCP4.5", "ssp245-2050"),
    Analogue(P("Moscow", "RU"), (P("Sofia", "BG"),), "BASTIN", "2050 RCP4.5", "ssp245-2050"),
    Analogue(
        P("Seattle", "US"),
        (P("San Francisco", "US"),),
        "BASTIN",
        "2050 RCP4.5",
        "ssp245-2050",
    ),
    Analogue(P("Tokyo", "JP"), (P("Changsha", "CN"),), "BASTIN", "2050 RCP4.5", "ssp245-2050"),
    Analogue(
        P("Portland", "US", "OR"),
        (P("San Antonio", "US"),),
        "BASTIN",
        "2050 RCP4.5",
        "ssp245-2050",
    ),
    Analogue(
        P("San Francisco", "US"), (P("Lisbon", "PT"),), "BASTIN", "2050 RCP4.5", "ssp245-2050"
    ),
    # Bastin et al. (2019), further pairs as reported by the press.
    Analogue(
        P("New York City", "US"),
        (P("Virginia Beach", "US"),),
        "BASTIN_PRESS",
        "2050 RCP4.5",
        "ssp245-2050",
    ),
    Analogue(
        P("Edinburgh", "GB"), (P("Paris", "FR"),), "BASTIN_PRESS", "2050 RCP4.5", "ssp245-2050"
    ),
    Analogue(
        P("Cardiff", "GB"), (P("Montevideo", "UY"),), "BASTIN_PRESS", "2050 RCP4.5", "ssp245-2050"
    ),
    Analogue(
        P("Barcelona", "ES"), (P("Adelaide", "AU"),), "BASTIN_PRESS", "2050 RCP4.5", "ssp245-2050"
    ),
    Analogue(P("Milan", "IT"), (P("Dallas", "US"),), "BASTIN_PRESS", "2050 RCP4.5", "ssp245-2050"),
    Analogue(
        P("Washington", "US", "DC"),
        (P("Nashville", "US"),),
        "BASTIN_PRESS",
        "2050 RCP4.5",
        "ssp245-2050",
    ),
    # Reuter et al. (2023).
    Analogue(P("Aachen", "DE"), (P("Dijon", "FR"),), "REUTER", "2071–2100 RCP4.5", "ssp245-2085"),
    Analogue(
        P("Aachen", "DE"),
        (P("Florence", "IT"), P("Prato", "IT")),
        "REUTER",
        "2071–2100 RCP8.5",
        "ssp585-2085",
    ),
    # UBA / Eurac Research.
    Analogue(P("Berlin", "DE"), (P("Bourges", "FR"),), "UBA", "2031–2060 RCP8.5", "ssp585-2050"),
    Analogue(
        P("Hamburg", "DE"),
        (P("Nantes", "FR"), P("Bordeaux", "FR")),
        "UBA",
        "2071–2100 RCP8.5",
        "ssp585-2085",
    ),
    # City of Düsseldorf.
    Analogue(
        P("Düsseldorf", "DE"),
        (P("Toulouse", "FR"),),
        "DUSSELDORF",
        "end of the century",
        "ssp585-2085",
    ),
    Analogue(
        P("Toulouse", "FR"), (P("Tunis", "TN"),), "DUSSELDORF", "end of the century", "ssp585-2085"
    ),
)
