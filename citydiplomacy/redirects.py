"""Following a "next" address from a request without becoming an open redirect or a 500."""

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def is_local_path(request: HttpRequest, target: str) -> bool:
    """Whether ``target`` is a path on this site (never another host, never a bare word that
    ``redirect`` would take for a view name)."""
    return (
        target.startswith("/")
        and not target.startswith("//")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    )


def local_redirect(request: HttpRequest, target: str, fallback) -> HttpResponseRedirect:
    """Redirect to ``target`` when it is a path on this site, else to ``fallback`` (anything
    ``django.shortcuts.redirect`` takes: a model instance, a URL name, a path)."""
    if target and is_local_path(request, target):
        return HttpResponseRedirect(target)
    return redirect(fallback)
