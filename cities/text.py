"""Spelling-insensitive search keys for city names.

"Düsseldorf", "Dusseldorf" and "duesseldorf" must all find Düsseldorf, "sao paulo" São Paulo.
A name yields two keys: accents stripped ("dusseldorf") and the German transliteration
("duesseldorf"); a query is folded the first way and compared with both.
"""

import re
import unicodedata

_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "ı": "i",
        "þ": "th",
        "ð": "d",
    }
)
_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case ASCII form of ``text``: accents stripped, punctuation collapsed to spaces."""
    text = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text.lower()).strip()


def search_keys(*names: str) -> list[str]:
    """Distinct folded keys for the given names, in order, including German transliterations."""
    keys: list[str] = []
    for name in names:
        if not name:
            continue
        for variant in (fold(name), fold(name.translate(_GERMAN))):
            if variant and variant not in keys:
                keys.append(variant)
    return keys
