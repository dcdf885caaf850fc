"""The client address behind the reverse proxy (citydiplomacy.clientip): the right-most
entry of X-Forwarded-For that no trusted proxy vouches for, never one the client chose."""

import pytest
from django.test import RequestFactory

from citydiplomacy.clientip import client_ip, normalise_ip

PROXY = "10.0.0.2"


def request(forwarded_for: str | None = None, remote: str = PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


def test_it_ignores_the_header_without_trusted_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(request("203.0.113.9")) == PROXY


def test_it_takes_the_address_the_one_proxy_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request("203.0.113.9")) == "203.0.113.9"


def test_it_never_reads_what_the_client_wrote_on_the_left(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request("198.51.100.1, 192.0.2.77, 203.0.113.9")) == "203.0.113.9"


def test_it_skips_the_entries_of_further_trusted_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    # client spoof, the client as the outer proxy saw it, the outer proxy as the inner saw it
    assert client_ip(request("1.1.1.1, 203.0.113.9, 10.0.0.1")) == "203.0.113.9"


@pytest.mark.parametrize(
    "header",
    [
        "",  # a request that did not come through the proxy
        "   ",
        "not-an-address",
        "203.0.113.9, <script>",
        "203.0.113.9, 999.1.1.1",
        ",",
        "x" * 20_000,
    ],
)
def test_it_falls_back_to_the_proxy_address_for_garbage(settings, header):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request(header)) == PROXY


def test_it_falls_back_when_fewer_entries_than_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    assert client_ip(request("203.0.113.9")) == PROXY
    assert client_ip(request(None)) == PROXY


def test_it_reads_a_long_header_from_its_right_end(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    header = ", ".join(["192.0.2.1"] * 3000) + ", 203.0.113.9"

    assert client_ip(request(header)) == "203.0.113.9"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("203.0.113.9", "203.0.113.9"),
        (" 203.0.113.9:51234 ", "203.0.113.9"),
        ("2001:DB8::1", "2001:db8::1"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        ("unknown", None),
        ("", None),
    ],
)
def test_it_normalises_what_proxies_write(raw, expected):
    assert normalise_ip(raw) == expected


def test_it_is_what_sign_in_throttling_asks(settings):
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXY_COUNT = 1

    assert get_client_ip_address(request("1.1.1.1, 203.0.113.9")) == "203.0.113.9"
