"""Match reasons in words, in the reader's language.

The core explains a pair with structured reasons (``core.Reason``: a code and numbers, with
themes, languages and kinds as indices into the feature snapshot). :func:`reason_data` turns
one into plain, stable data — theme ids, language and kind codes, the warming scenario's key,
rounded numbers — which is what stored suggestions keep (``MatchSuggestion.reasons``).
:func:`render` words that data when a page or an e-mail is rendered: in the active language,
with the theme names as curators last corrected them (``cities.taxonomy.theme_names``) and
numbers in the language's format ("+2,8 °C" in German, "+2.8 °C" in English). Nothing is
worded at computation time, so a suggestion stored at night reads right in every language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.utils.formats import number_format
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from cities.choices import PartnershipKind
from cities.taxonomy import collation_key, in_sentence, theme_names

# Codes whose sentences name a theme.
THEME_CODES = frozenset({"shared_same", "shared", "shared_field", "they_offer", "you_offer"})


def reason_data(
    reason,
    *,
    theme_ids: Sequence[int],
    language_codes: Sequence[str],
    kind_codes: Sequence[str],
    warming_key: str,
) -> dict:
    """``reason`` (a ``core.Reason``) as plain data that stays true when the snapshot's
    indices change: ``{"code": "they_offer", "theme": 12, "evidence": "stated"}``."""
    p = reason.params
    data: dict = {"code": reason.code}
    if "theme" in p:
        data["theme"] = int(theme_ids[p["theme"]])
    for key in ("priority_a", "priority_b", "evidence"):
        if key in p:
            data[key] = p[key]
    if "good" in p:
        data["good"] = bool(p["good"])
    if reason.code in {"twin_a_future", "twin_b_future"}:
        data["warming"] = warming_key
    if "ratio" in p:
        data["ratio"] = round(float(p["ratio"]), 2)
    if "languages" in p:
        data["languages"] = [language_codes[i] for i in p["languages"]]
    if "kinds" in p:
        data["kinds"] = [kind_codes[i] for i in p["kinds"]]
    return data


def _priority(name: str) -> str:
    labels = {
        "high": _("high"),
        "medium": _("medium"),
        "low": _("low"),
        "related": _("related"),
    }
    return labels.get(name, name)


def _language_name(code: str) -> str:
    try:
        return _(get_language_info(code)["name"])
    except KeyError:
        return code


def _warming(key: str | None) -> str:
    """ "+2.8 °C" in the active language's number format, for a warming scenario's key."""
    from cities.climate import core as climate
    from cities.climate.selectors import warming_text

    default = climate.WARMING_LEVELS[climate.DEFAULT_WARMING_KEY]
    return warming_text(climate.WARMING_LEVELS.get(key or "", default))


def render(
    data: Mapping,
    *,
    city_name: str,
    other_name: str,
    names: Mapping[int, str] | None = None,
) -> str | None:
    """One reason as a sentence in the active language; None when it cannot be said any more
    (its theme was deleted since it was stored). ``names``: theme names by id in the active
    language (default: ``cities.taxonomy.theme_names()``)."""
    code = data.get("code")
    theme = ""
    if code in THEME_CODES:
        names = theme_names() if names is None else names
        theme_name = names.get(data.get("theme"))
        if theme_name is None:
            return None
        theme = in_sentence(theme_name)
    words = {"a": city_name, "b": other_name, "theme": theme}
    if code == "shared_same":
        return _("Both rank %(theme)s as a %(priority)s priority") % {
            **words,
            "priority": _priority(data["priority_a"]),
        }
    if code == "shared":
        return _("Both work on %(theme)s (priority for %(a)s: %(pa)s; for %(b)s: %(pb)s)") % {
            **words,
            "pa": _priority(data["priority_a"]),
            "pb": _priority(data["priority_b"]),
        }
    if code == "shared_field":
        return _("Both work in the wider field of %(theme)s") % words
    if code == "they_offer":
        if data.get("evidence") == "stated":
            return _("%(b)s offers expertise in %(theme)s; %(a)s seeks help with it") % words
        if data.get("evidence") == "initiative":
            return (
                _("%(b)s has completed an initiative on %(theme)s; %(a)s seeks help with it")
                % words
            )
        return _("%(b)s has related expertise for %(a)s's need in %(theme)s") % words
    if code == "you_offer":
        if data.get("evidence") == "stated":
            return _("%(a)s offers expertise in %(theme)s; %(b)s seeks help with it") % words
        if data.get("evidence") == "initiative":
            return (
                _("%(a)s has completed an initiative on %(theme)s; %(b)s seeks help with it")
                % words
            )
        return _("%(a)s has related expertise for %(b)s's need in %(theme)s") % words
    if code == "mutual":
        return _("Each can learn from the other") % words
    if code == "present":
        if data.get("good"):
            return _("%(a)s and %(b)s have similar climates today") % words
        return _("%(a)s's and %(b)s's climates today are somewhat alike") % words
    if code in {"twin_a_future", "twin_b_future"}:
        future, today = (
            (city_name, other_name) if code == "twin_a_future" else (other_name, city_name)
        )
        said = {"future": future, "today": today, "scenario": _warming(data.get("warming"))}
        if data.get("good"):
            return (
                _(
                    "%(future)s's climate at %(scenario)s of global warming resembles "
                    "%(today)s's today"
                )
                % said
            )
        return (
            _(
                "%(future)s's climate at %(scenario)s of global warming moves toward "
                "%(today)s's today"
            )
            % said
        )
    if code == "population":
        ratio = float(data["ratio"])
        if ratio < 1.5:
            return _("%(a)s and %(b)s are of similar size") % words
        return _("%(a)s and %(b)s are of comparable scale (a factor of %(ratio)s apart)") % {
            **words,
            "ratio": number_format(round(ratio, 1), decimal_pos=1),
        }
    if code == "languages":
        spoken = sorted((_language_name(c) for c in data["languages"]), key=collation_key)
        return _("Shared working language: %(languages)s") % {"languages": ", ".join(spoken)}
    if code == "kinds":
        labels = dict(PartnershipKind.choices)
        kinds = ", ".join(in_sentence(str(labels.get(k, k))) for k in data["kinds"])
        return _("Both seek the same kind of partnership: %(kinds)s") % {"kinds": kinds}
    if code == "both_open":
        return _("Both are open to new partnerships") % words
    if code == "they_open":
        return _("%(b)s is open to new partnerships") % words
    if code == "you_open":
        return _("%(a)s is open to new partnerships") % words
    raise ValueError(f"unknown reason code {code!r}")


def render_all(reasons: Iterable, *, city_name: str, other_name: str) -> list[str]:
    """Stored reasons as sentences in the active language (see :func:`render`). A sentence
    stored before reasons were kept as data is shown as it was stored (it is replaced at the
    next recompute)."""
    names = None
    sentences = []
    for item in reasons:
        if isinstance(item, str):
            sentences.append(item)
            continue
        if names is None and item.get("code") in THEME_CODES:
            names = theme_names()
        sentence = render(item, city_name=city_name, other_name=other_name, names=names)
        if sentence is not None:
            sentences.append(sentence)
    return sentences
