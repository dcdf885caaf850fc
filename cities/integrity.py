"""Saving when a concurrent request may have saved the same thing first.

``full_clean()`` checks unique and check constraints against what is committed when it runs;
another request (a double click, a second tab, a colleague) can commit the same username, the
same theme for a city, the same object between that check and the INSERT. The database then
refuses the write with an IntegrityError, which is a 500 unless it is turned back into the
message the check would have given.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction


def save_checked(instance, **save_kwargs) -> None:
    """Save ``instance`` in a savepoint. If the database refuses it, validate its unique fields
    and constraints again — the row that won the race is committed and visible now — and raise
    that ValidationError (the model's own message); an IntegrityError that no validation
    explains is raised as it is. The caller's transaction stays usable either way."""
    try:
        with transaction.atomic():
            instance.save(**save_kwargs)
    except IntegrityError:
        instance.validate_unique()
        instance.validate_constraints()
        raise
