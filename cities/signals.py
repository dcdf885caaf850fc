"""Extension points of the directory for the apps above it.

The lower app names nothing of the apps that build on it; it tells them what happened through
these signals, and they connect receivers in their ``AppConfig.ready``.
"""

from django.dispatch import Signal

# A city's profile (the city, its officials, challenges, initiatives or memberships) changed.
# Sent with ``city=`` inside the transaction of the change; a receiver that works outside the
# database registers that work with ``transaction.on_commit``, so a rolled-back change causes
# nothing.
profile_changed = Signal()
