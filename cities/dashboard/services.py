"""The dashboard's one write: remembering when a person last looked."""

from __future__ import annotations

import datetime

from ..models import UserProfile

# Views closer together than this are one visit: reloading the dashboard, or coming back to it
# after answering a request, does not turn what was new into old.
DASHBOARD_VISIT_GAP = datetime.timedelta(minutes=30)


def dashboard_visit_record(*, user, now: datetime.datetime) -> datetime.datetime | None:
    """Record a dashboard view by ``user`` at ``now``; return the end of their previous visit
    (None on the first visit): what appeared after it is "new since your last visit".

    A view more than ``DASHBOARD_VISIT_GAP`` after the last one starts a new visit. Writes at
    most once a minute per person (two columns, ``update_fields``)."""
    profile = UserProfile.for_user(user)
    seen = profile.dashboard_seen_at
    if seen is not None and now - seen > DASHBOARD_VISIT_GAP:
        profile.dashboard_since = seen
    if seen is None or now - seen > datetime.timedelta(minutes=1):
        profile.dashboard_seen_at = now
        profile.save(update_fields=["dashboard_seen_at", "dashboard_since"])
    return profile.dashboard_since
