"""The client's address, as seen through the reverse proxies in front of the portal.

One function for everything that counts requests per client: sign-in throttling (django-axes,
through ``AXES_CLIENT_IP_CALLABLE``), the problem-report rate limit, and any later throttle.

How the address is found (``TRUSTED_PROXY_COUNT`` = N, from the environment):

- N = 0 (development, tests, a portal reached directly): ``REMOTE_ADDR``. ``X-Forwarded-For``
  is ignored, because anyone can write it.
- N >= 1: each trusted proxy appends the address it received the request from to
  ``X-Forwarded-For``, so the last N entries were written by our proxies and everything left
  of them by the client. The client is the N-th entry from the right: the right-most one no
  trusted proxy vouches for being a proxy. A client that sends its own ``X-Forwarded-For``
  only adds entries on the left, which are never read, so it cannot choose its address.

Bad input falls back safely: a missing header, fewer entries than proxies, or an entry that is
not an IP address gives ``REMOTE_ADDR`` (the proxy's own address, shared by all such
requests), never a value the client chose.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings

# Gunicorn refuses header lines above 8 KB; this only bounds the work on a hostile value.
MAX_HEADER_CHARS = 8192


def trusted_proxy_count() -> int:
    return max(0, int(getattr(settings, "TRUSTED_PROXY_COUNT", 0)))


def normalise_ip(value: str) -> str | None:
    """``value`` as a canonical IP address, or None when it is not one. Accepts what proxies
    write: ``1.2.3.4``, ``1.2.3.4:5678``, ``2001:db8::1``, ``[2001:db8::1]:443``; an
    IPv4-mapped IPv6 address becomes the IPv4 address (one client, one key)."""
    value = value.strip()
    if not value or len(value) > 64:
        return None
    if value.startswith("["):  # [v6]:port
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return str(address)


def client_ip(request) -> str | None:
    """The address requests of this client are counted under (see the module docstring).
    None only when not even ``REMOTE_ADDR`` is an address."""
    meta = getattr(request, "META", {})
    remote = normalise_ip(str(meta.get("REMOTE_ADDR", "") or ""))
    proxies = trusted_proxy_count()
    if proxies == 0:
        return remote
    header = str(meta.get("HTTP_X_FORWARDED_FOR", "") or "")[-MAX_HEADER_CHARS:]
    entries = header.split(",")
    if not header.strip() or len(entries) < proxies:
        return remote
    return normalise_ip(entries[-proxies]) or remote
