"""Funding programmes: reading them and checking a pair is public; curators (of any
organisation) and site admins add, edit and mark programmes as checked."""

from tests.partnerships.funding.factories import FundingProgrammeFactory, programme_form_data

from .matrix import CURATORS, EVERYONE, Entry


def _slug(world):
    from partnerships.models import FundingProgramme

    programme = FundingProgramme.objects.filter(slug="matrix-fund").first()
    if programme is None:
        programme = FundingProgrammeFactory(slug="matrix-fund")
    return {"slug": programme.slug}


ENTRIES = [
    Entry(
        "partnerships:funding_list",
        methods={"GET": EVERYONE},
        query="?theme=climate-adaptation&country=ZM&sdg=13&open=on",
        reason="The funding programmes are a public list.",
    ),
    Entry(
        "partnerships:funding_detail",
        kwargs=_slug,
        methods={"GET": EVERYONE},
        reason="A programme's page is public.",
    ),
    Entry(
        "partnerships:funding_check",
        methods={"GET": EVERYONE},
        query=lambda w: f"?a={w.city.slug}&b={w.other_city.slug}",
        reason="What a pair of published cities could apply to derives from public data.",
    ),
    Entry(
        "partnerships:funding_create",
        methods={"GET": CURATORS, "POST": CURATORS},
        data=lambda w, kwargs: programme_form_data(),
        reason="Curators and site admins maintain the programmes.",
    ),
    Entry(
        "partnerships:funding_edit",
        kwargs=_slug,
        methods={"GET": CURATORS, "POST": CURATORS},
        data=lambda w, kwargs: programme_form_data(slug=kwargs["slug"]),
        reason="Curators and site admins maintain the programmes.",
    ),
    Entry(
        "partnerships:funding_checked",
        kwargs=_slug,
        methods={"POST": CURATORS},
        reason="Curators and site admins confirm a programme against its source.",
    ),
]
