"""Validators shared by the models and forms of both apps."""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Every control character, and the Unicode line and paragraph separators.
_NOT_ONE_LINE = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")


@deconstructible
class SingleLineValidator:
    """Refuses line breaks, tabs and other control characters in a one-line text (a title, a
    name, a place). Such values end up in calendar lines, e-mail subjects and headers, where
    a line break starts a new line."""

    message = _("Use one line of text, without line breaks, tabs or other control characters.")
    code = "single_line"

    def __call__(self, value) -> None:
        if isinstance(value, str) and _NOT_ONE_LINE.search(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, SingleLineValidator)

    def __hash__(self) -> int:
        return hash(self.__class__)


validate_single_line = SingleLineValidator()
