"""Writing notifications and e-mail: every message the portal sends starts here.

Call ``notify`` (a user), ``notify_many`` (distinct users) or ``email_address`` (an address
without an account yet, such as an invitation) **inside the transaction of the change** they
report. Each renders the message now, in the recipient's language, writes the in-app
``Notification`` and/or an ``OutboxEmail`` row, and registers an on-commit hand-off of the row
to the send task. A rolled-back change therefore leaves neither rows nor tasks; a broker that
is down at commit leaves the row pending for the sweeper (``outbox.outbox_sweep``), so nothing
is lost and nothing is sent twice.

Kinds: each app registers the kinds it sends, with the folder of their templates
(``<folder>/<kind>_subject.txt``, ``<kind>.txt``, ``<kind>.html``), from its ``AppConfig.ready``
(``register_kinds``). Every HTML e-mail extends ``cities/notifications/email_base.html`` and
every text e-mail ends with ``cities/notifications/email_footer.txt``.

These services trust their arguments: callers have checked who may cause the message.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise

from ..models import Notification, UserProfile
from . import outbox


@dataclass(frozen=True)
class Kind:
    name: str
    label: str | Promise
    template_dir: str


_KINDS: dict[str, Kind] = {}


def register_kinds(*, template_dir: str, kinds: dict[str, str | Promise]) -> None:
    """Declare notification kinds (name → label) whose templates live in ``template_dir``."""
    for name, label in kinds.items():
        existing = _KINDS.get(name)
        if existing is not None and existing.template_dir != template_dir:
            raise ValueError(f"notification kind {name!r} is registered twice")
        _KINDS[name] = Kind(name=name, label=label, template_dir=template_dir)


def kind(name: str) -> Kind:
    try:
        return _KINDS[name]
    except KeyError:
        raise ValueError(f"unknown notification kind {name!r}; register it first") from None


def registered_kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda k: k.name)


# --- the recipient ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Preferences:
    language: str
    wants_digest: bool


def language_or_default(code: str | None) -> str:
    """``code`` when it is one of the site's languages, else the default language."""
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def preferences_for(user) -> Preferences:
    """The recipient's language and digest opt-in from their profile (defaults without one)."""
    profile = (
        UserProfile.objects.filter(user=user).only("preferred_language", "digest_opt_out").first()
    )
    if profile is None:
        return Preferences(language=settings.LANGUAGE_CODE, wants_digest=True)
    return Preferences(
        language=language_or_default(profile.preferred_language),
        wants_digest=not profile.digest_opt_out,
    )


def site_url() -> str:
    return settings.CITYDIPLOMACY.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def absolute_url(path: str) -> str:
    """``path`` on the site, for links in e-mail (already absolute URLs pass through)."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return site_url() + path


# --- rendering --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render_email(*, kind_name: str, context: dict, language: str) -> Rendered:
    """Subject, plain text and HTML of one e-mail of a registered kind, in ``language``."""
    base = f"{kind(kind_name).template_dir}/{kind_name}"
    full_context = {"site_url": site_url(), **context}
    with translation.override(language_or_default(language)):
        subject = " ".join(render_to_string(f"{base}_subject.txt", full_context).split())
        text = render_to_string(f"{base}.txt", full_context)
        html = render_to_string(f"{base}.html", full_context)
    return Rendered(subject=subject[:300], text=text, html=html)


# --- writing ----------------------------------------------------------------------------------


def notify(
    *,
    user,
    kind: str,
    context: dict | None = None,
    url: str = "",
    email: bool = True,
    dedupe_key: str = "",
    in_app: bool = True,
    now: datetime.datetime | None = None,
) -> Notification | None:
    """Tell ``user`` about something: an in-app notification and (``email``) an outbox e-mail,
    both rendered now in the user's language. Call inside the transaction of the change; the
    e-mail is handed to the send task only after commit. Returns the notification (None when
    ``in_app`` is off)."""
    now = now or timezone.now()
    preferences = preferences_for(user)
    rendered = render_email(
        kind_name=kind,
        context={"recipient": user, "url": absolute_url(url), **(context or {})},
        language=preferences.language,
    )
    notification = None
    if in_app:
        notification = Notification.objects.create(
            user=user, kind=kind, title=rendered.subject, url=url, created_at=now
        )
    if email and user.email:
        outbox.outbox_add(
            kind=kind,
            to_email=user.email,
            rendered=rendered,
            notification=notification,
            dedupe_key=dedupe_key,
            now=now,
        )
    return notification


def notify_many(*, users: Iterable, **kwargs) -> int:
    """``notify`` each distinct active user once; returns how many were notified."""
    seen: set[int] = set()
    for user in users:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        notify(user=user, **kwargs)
    return len(seen)


@transaction.atomic
def email_address(
    *,
    to_email: str,
    kind: str,
    context: dict,
    language: str,
    url: str = "",
    dedupe_key: str = "",
) -> outbox.OutboxEmail | None:
    """E-mail someone who has no account here yet (an invitation), in ``language``, through
    the outbox. Returns the row, or None for an empty address."""
    if not to_email:
        return None
    rendered = render_email(
        kind_name=kind,
        context={"recipient": None, "url": absolute_url(url), **context},
        language=language,
    )
    return outbox.outbox_add(kind=kind, to_email=to_email, rendered=rendered, dedupe_key=dedupe_key)


# --- reading and marking read -----------------------------------------------------------------


def unread_count(user) -> int:
    """One COUNT query (the bell)."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_for(user):
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def notification_mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when ``notification_ids`` is None).
    Other users' notifications are never touched. Returns how many changed."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        rows = rows.filter(pk__in=list(notification_ids))
    return rows.update(read_at=timezone.now())
