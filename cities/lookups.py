"""Query lookups the project registers on Django's fields (from ``CitiesConfig.ready``)."""

from __future__ import annotations

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    """``in`` on an integer column, leaving out values beyond the column's range: they can
    match no row, which is what Django's own ``exact``, ``gt`` and ``lt`` lookups conclude for
    them. Without this SQLite cannot even bind such a value (OverflowError), so a form's
    multiple choice of ids given ``99999999999999999999`` was a 500 there."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            try:
                low, high = connection.ops.integer_field_range(
                    self.lhs.output_field.get_internal_type()
                )
            except KeyError:  # not one of the backend's integer types
                low = high = None
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def register() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
