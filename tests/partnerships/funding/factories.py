import datetime as dt

import factory
from django.utils import timezone

from partnerships.models import CallType, FundingProgramme


class FundingProgrammeFactory(factory.django.DjangoModelFactory):
    """A programme for German applicants with partners on the OECD DAC list (like Nakopa)."""

    class Meta:
        model = FundingProgramme

    name = factory.Sequence(lambda n: f"Partnership fund {n}")
    slug = factory.Sequence(lambda n: f"partnership-fund-{n}")
    funder = "Sample funder"
    url = "https://funder.example.org/programme"
    summary = "Grants for projects of two partner municipalities."
    sdgs = factory.LazyFunction(lambda: [11, 17])
    amount_min = 50_000
    amount_max = 250_000
    currency = "EUR"
    call_type = CallType.DEADLINE
    next_deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))
    applicant_groups = factory.LazyFunction(lambda: ["DE"])
    partner_groups = factory.LazyFunction(lambda: ["oecd-dac-2024"])
    source_url = "https://funder.example.org/call"
    last_checked_on = factory.LazyFunction(timezone.localdate)
    checked_by = "Sample curator"


def programme_form_data(**overrides) -> dict:
    """Valid POST data for the curators' programme form."""
    data = {
        "name": "Sister-city climate fund",
        "slug": "sister-city-climate-fund",
        "funder": "Sample foundation",
        "url": "https://foundation.example.org/fund",
        "summary": "Small grants for climate projects of partner cities.",
        "sdgs": ["13"],
        "amount_min": "1000",
        "amount_max": "20000",
        "currency": "EUR",
        "call_type": "rolling",
        "applicant_groups": ["eu-27"],
        "partner_groups": ["oecd-dac-2024"],
        "other_conditions": "",
        "source_url": "https://foundation.example.org/fund/rules",
        "last_checked_on": timezone.localdate().isoformat(),
        "summary_de": "Kleine Zuschüsse für Klimaprojekte von Partnerstädten.",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
