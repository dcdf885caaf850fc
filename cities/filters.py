"""The directory's FilterSet: every filter of /cities/, also used by the map and the CSV export.

The form validates every parameter; an invalid value makes a form error (shown to the visitor)
and an empty result — never a guess, never a 500. Adding a filter is one declaration here plus
one line in ``cities/templates/cities/_filters.html``.
"""

import functools
from html import escape

import django_filters
from django import forms
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.forms.utils import flatatt
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .choices import Continent
from .forms import QUERY_MAX_LENGTH, DirectoryFilterForm
from .models import Challenge, City, Initiative, Membership, Organisation, Theme
from .reference import sdg_choices
from .search import search_cities

# Population bands: key -> (label, lower bound inclusive, upper bound exclusive).
POPULATION_BANDS = {
    "lt50k": (_("under 50,000"), None, 50_000),
    "50k-250k": (_("50,000 – 250,000"), 50_000, 250_000),
    "250k-1m": (_("250,000 – 1 million"), 250_000, 1_000_000),
    "1m-5m": (_("1 – 5 million"), 1_000_000, 5_000_000),
    "gt5m": (_("over 5 million"), 5_000_000, None),
}
# No city has more people than this; larger numbers are typing mistakes (and overflow SQL).
POPULATION_MAX = 100_000_000


def climate_zone_choices() -> list:
    """Köppen–Geiger main groups and classes, each with its meaning in the active language."""
    from django.utils.translation import gettext

    from .climate.core import KOPPEN_CLASS_CODES, koppen_meaning

    def label(code: str) -> str:
        return f"{code} — {koppen_meaning(code, gettext)}"

    return [
        (_("Main group"), [(code, label(code)) for code in "ABCDE"]),
        (_("Class"), [(code, label(code)) for code in KOPPEN_CLASS_CODES]),
    ]


class Stance:
    ANY = ""
    SEEKS = "seeks"
    OFFERS = "offers"
    CHOICES = [(SEEKS, _("seeks help")), (OFFERS, _("offers expertise"))]


class Sort:
    RELEVANCE = ""
    NAME = "name"
    POPULATION = "population"
    UPDATED = "updated"
    CHOICES = [
        (NAME, _("Name")),
        (POPULATION, _("Population (largest first)")),
        (UPDATED, _("Recently updated")),
    ]


class View:
    LIST = "list"
    MAP = "map"
    CHOICES = [(LIST, _("List")), (MAP, _("Map"))]


class FastSelect(forms.Select):
    """A <select> rendered in Python rather than through a template per option.

    The same markup as Django's Select for what the directory uses (one choice, optional
    groups); the page's ~500 options cost about a millisecond instead of a large share of the
    response time.
    """

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(v) for v in self.format_value(value)}

        def option(choice_value, label) -> str:
            choice_value = "" if choice_value is None else str(choice_value)
            mark = " selected" if choice_value in selected else ""
            return f'<option value="{escape(choice_value)}"{mark}>{escape(str(label))}</option>'

        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        parts = [f"<select{flatatt(final_attrs)}>"]
        for choice_value, label in self.choices:
            if isinstance(label, list | tuple):
                parts.append(f'<optgroup label="{escape(str(choice_value))}">')
                parts.extend(option(v, sub_label) for v, sub_label in label)
                parts.append("</optgroup>")
            else:
                parts.append(option(choice_value, label))
        parts.append("</select>")
        # Every value and label above went through html.escape; flatatt escapes attributes.
        return SafeString("".join(parts))


@functools.lru_cache(maxsize=32)
def _countries_in(language: str | None) -> list[tuple[str, str]]:
    return [(country.code, country.name) for country in countries]


def country_choices() -> list[tuple[str, str]]:
    """ISO 3166-1 codes with names in the visitor's language (sorted and translated once per
    language: doing it for every page took a sixth of the page's time)."""
    return _countries_in(get_language())


def sdg_filter_choices() -> list[tuple[str, str]]:
    """The 17 goals, "11 — Sustainable cities and communities", in the visitor's language."""
    return [(str(number), label) for number, label in sdg_choices()]


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class OnlyIfTickedFilter(django_filters.Filter):
    """A checkbox: ticked narrows the result, unticked does not filter at all."""

    field_class = forms.BooleanField

    def __init__(self, *args, condition: Q, **kwargs):
        self.condition = condition
        kwargs.setdefault("widget", forms.CheckboxInput)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs.filter(self.condition) if value else qs


def _theme_choices():
    # Parents first, each followed by its children, labelled "Parent › Child".
    return Theme.objects.select_related("parent").order_by(
        Coalesce("parent__position", "position"),
        Coalesce("parent__name", "name"),
        F("parent").asc(nulls_first=True),
        "position",
        "name",
    )


class PlainModelChoiceIterator(forms.models.ModelChoiceIterator):
    """Reads the choices with one plain query: the default ``.iterator()`` opens a
    server-side cursor on PostgreSQL, three round trips for a few dozen rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class PlainModelChoiceField(django_filters.fields.ModelChoiceField):
    iterator = PlainModelChoiceIterator


class ThemeChoiceField(PlainModelChoiceField):
    def label_from_instance(self, obj):
        return f"– {obj.name}" if obj.parent_id else obj.name


class ThemeFilter(django_filters.ModelChoiceFilter):
    field_class = ThemeChoiceField


class OrganisationFilter(django_filters.ModelChoiceFilter):
    field_class = PlainModelChoiceField


class CityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name"),
        method="filter_q",
        max_length=QUERY_MAX_LENGTH,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("e.g. Düsseldorf"), "autocomplete": "off"}
        ),
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=country_choices, empty_label=_("Any country")
    )
    continent = django_filters.ChoiceFilter(
        label=_("Continent"), choices=Continent.choices, empty_label=_("Any continent")
    )
    population = django_filters.ChoiceFilter(
        label=_("Population"),
        choices=[(key, label) for key, (label, _low, _high) in POPULATION_BANDS.items()],
        empty_label=_("Any size"),
        method="filter_population_band",
    )
    min_population = IntegerFilter(
        label=_("Population at least"),
        field_name="population",
        lookup_expr="gte",
        min_value=0,
        max_value=POPULATION_MAX,
    )
    max_population = IntegerFilter(
        label=_("Population at most"),
        field_name="population",
        lookup_expr="lte",
        min_value=0,
        max_value=POPULATION_MAX,
    )
    theme = ThemeFilter(
        label=_("Theme"),
        queryset=_theme_choices(),
        to_field_name="slug",
        empty_label=_("Any theme"),
        method="filter_theme",
    )
    stance = django_filters.ChoiceFilter(
        label=_("Stance"),
        choices=Stance.CHOICES,
        empty_label=_("any stance"),
        method="filter_theme",
    )
    sdg = django_filters.ChoiceFilter(
        label=_("Sustainable Development Goal"),
        choices=sdg_filter_choices,
        empty_label=_("Any goal"),
        method="filter_sdg",
    )
    open = OnlyIfTickedFilter(
        label=_("Open to partnerships"), condition=Q(open_to_partnerships=True)
    )
    verified = OnlyIfTickedFilter(label=_("Verified"), condition=Q(verification_status="verified"))
    has_initiatives = OnlyIfTickedFilter(
        label=_("Has initiatives"),
        condition=Q(Exists(Initiative.objects.filter(city=OuterRef("pk")))),
    )
    organisation = OrganisationFilter(
        label=_("Member of"),
        queryset=Organisation.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("Any organisation"),
        method="filter_organisation",
    )
    climate = django_filters.ChoiceFilter(
        label=_("Climate zone (Köppen–Geiger)"),
        choices=climate_zone_choices,
        empty_label=_("Any climate"),
        method="filter_climate",
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=Sort.CHOICES,
        empty_label=_("Best match"),
        method="filter_nothing",
    )
    view = django_filters.ChoiceFilter(
        label=_("Show as"),
        choices=View.CHOICES,
        empty_label=None,
        method="filter_nothing",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = City
        fields: list[str] = []
        form = DirectoryFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            if type(field.widget) is forms.Select:
                # Same widget, cheaper rendering (no state added, so swapping the class is safe).
                field.widget.__class__ = FastSelect

    # --- filter methods -------------------------------------------------------------------

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_q(self, queryset, name, value):
        # Searching happens in filter_queryset, after the other filters narrowed the rows.
        return queryset

    def filter_population_band(self, queryset, name, value):
        _label, low, high = POPULATION_BANDS[value]
        if low is not None:
            queryset = queryset.filter(population__gte=low)
        if high is not None:
            queryset = queryset.filter(population__lt=high)
        return queryset

    def filter_theme(self, queryset, name, value):
        # Theme and stance are one condition on the same challenge: applied once, from "theme"
        # when a theme is chosen, else from "stance" (a stance on any theme).
        data = self.form.cleaned_data
        if name == "stance" and data.get("theme"):
            return queryset
        theme, stance = data.get("theme"), data.get("stance")
        if not theme and not stance:
            return queryset
        challenges = Challenge.objects.filter(city=OuterRef("pk"))
        if theme:
            # A parent theme covers its children: "Climate adaptation" finds "Flooding".
            challenges = challenges.filter(Q(theme=theme) | Q(theme__parent=theme))
        if stance == Stance.SEEKS:
            challenges = challenges.filter(seeks_help=True)
        elif stance == Stance.OFFERS:
            challenges = challenges.filter(offers_expertise=True)
        return queryset.filter(Exists(challenges))

    def filter_sdg(self, queryset, name, value):
        """Cities with a challenge or an initiative on a theme linked to the goal, or an
        initiative tagged with the goal itself."""
        number = int(value)  # the form allows only "1".."17"
        themes = [pk for pk, sdgs in Theme.objects.values_list("pk", "sdgs") if number in sdgs]
        initiatives = Initiative.objects.filter(city=OuterRef("pk"))
        if connection.features.supports_json_field_contains:
            tagged = initiatives.filter(sdgs__contains=[number])
        else:  # SQLite cannot look inside a JSON list: select the few tagged rows in Python
            ids = [
                pk for pk, sdgs in Initiative.objects.values_list("pk", "sdgs") if number in sdgs
            ]
            tagged = initiatives.filter(pk__in=ids)
        return queryset.filter(
            Exists(Challenge.objects.filter(city=OuterRef("pk"), theme__in=themes))
            | Exists(initiatives.filter(themes__in=themes))
            | Exists(tagged)
        )

    def filter_climate(self, queryset, name, value):
        if len(value) == 1:  # a main group: A, B, C, D or E
            return queryset.filter(climate__koppen__startswith=value)
        return queryset.filter(climate__koppen=value)

    def filter_organisation(self, queryset, name, value):
        return queryset.filter(
            Exists(Membership.objects.filter(city=OuterRef("pk"), organisation=value))
        )

    # --- the whole -------------------------------------------------------------------------

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        query = self.form.cleaned_data.get("q") or ""
        sort = self.form.cleaned_data.get("sort") or Sort.RELEVANCE
        if query.strip():
            queryset = search_cities(queryset, query, by_relevance=sort == Sort.RELEVANCE)
        if sort == Sort.NAME:
            return queryset.order_by("name", "country", "pk")
        if sort == Sort.UPDATED:
            return queryset.order_by("-updated_at", "pk")
        if sort == Sort.POPULATION or not query.strip():
            # Without a query, "best match" means the largest cities first.
            return queryset.order_by(F("population").desc(nulls_last=True), "name", "pk")
        return queryset

    @property
    def is_search(self) -> bool:
        return bool(self.is_bound and (self.form.cleaned_data.get("q") or "").strip())

    @property
    def display(self) -> str:
        return self.form.cleaned_data.get("view") or View.LIST
