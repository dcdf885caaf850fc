"""End to end, as a new curator would: sign in, open the queue, verify a sample city, and see
the badge on the public profile. The sample objects come from factories, not from load_demo."""

import pytest
from django.urls import reverse

from .factories import (
    CityFactory,
    CuratorFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)


@pytest.mark.django_db
def test_a_curator_of_the_sample_association_verifies_a_sample_city(client, settings):
    settings.AXES_ENABLED = True  # sign in through the real, throttled sign-in
    association = OrganisationFactory(
        name="Sample Association of Cities", slug="sample-association-of-cities", is_sample=True
    )
    kafue = CityFactory(name="Kafue", slug="kafue", country="ZM", is_sample=True)
    MembershipFactory(organisation=association, city=kafue)
    CuratorFactory(
        user=UserFactory(username="curator", password="a-long-test-password"),
        organisation=association,
    )

    # The public profile is not verified yet.
    assert "Verified by" not in client.get(kafue.get_absolute_url()).content.decode()

    # Sign in from a page, as a person would.
    signed_in = client.post(
        reverse("login") + "?next=/curation/",
        {"username": "curator", "password": "a-long-test-password", "next": "/curation/"},
        follow=True,
    )
    assert signed_in.redirect_chain[-1][0] == "/curation/sample-association-of-cities/"
    queue = signed_in.content.decode()
    assert "Member cities needing attention" in queue
    assert "Kafue" in queue and "never verified" in queue

    # The nav offers the curation link from now on.
    assert 'href="/curation/"' in client.get("/").content.decode()

    # Verify from the queue.
    verified = client.post(
        reverse(
            "curation:verify",
            kwargs={"org_slug": "sample-association-of-cities", "slug": "kafue"},
        ),
        follow=True,
    )
    assert "Kafue is verified by Sample Association of Cities." in verified.content.decode()
    assert "never verified" not in verified.content.decode()

    # Anyone sees the badge on the public profile.
    client.post(reverse("logout"))
    profile = client.get(kafue.get_absolute_url()).content.decode()
    assert "badge-verified" in profile
    assert "Verified by Sample Association of Cities on" in profile
