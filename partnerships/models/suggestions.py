"""Stored match suggestions: the top 50 partner cities per city, with their explanation."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.models import City


class MatchSuggestionQuerySet(models.QuerySet):
    def for_city(self, city: City):
        return self.filter(city=city).select_related("suggested_city").order_by("rank")


class MatchSuggestion(models.Model):
    """One suggested partner for ``city``, as computed by partnerships.matching with the default
    weights. A city's rows are replaced together (partnerships.matching.adapter).

    ``reasons`` holds the reasons as data (codes, theme ids, numbers: see
    ``partnerships.matching.reasons``), never as text: :meth:`reason_sentences` words them in
    the language of whoever reads them."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="match_suggestions")
    suggested_city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.FloatField(
        _("score"), validators=[MinValueValidator(0.0), MaxValueValidator(1.0)]
    )
    components = models.JSONField(_("components"), default=dict)
    reasons = models.JSONField(_("reasons"), default=list)
    computed_at = models.DateTimeField(_("computed at"))
    # When this partner entered the city's list: kept when the list is recomputed while the
    # partner stays in it, so "new suggestions since your last visit" means new partners, not
    # a nightly recompute (partnerships.matching.adapter.store_rankings).
    first_suggested_at = models.DateTimeField(_("first suggested at"), default=timezone.now)

    objects = MatchSuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["city", "rank"]
        verbose_name = _("match suggestion")
        verbose_name_plural = _("match suggestions")
        constraints = [
            models.UniqueConstraint(
                fields=["city", "suggested_city"], name="match_suggestion_unique_pair"
            ),
            models.UniqueConstraint(fields=["city", "rank"], name="match_suggestion_unique_rank"),
            models.CheckConstraint(
                condition=~Q(city=F("suggested_city")), name="match_suggestion_not_itself"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="match_suggestion_score_0_1"
            ),
            models.CheckConstraint(condition=Q(rank__gte=1), name="match_suggestion_rank_from_1"),
        ]

    def __str__(self) -> str:
        return f"{self.city} → {self.suggested_city} (#{self.rank}, {self.score:.2f})"

    def reason_sentences(self) -> list[str]:
        """The reasons as sentences in the active language (select ``city`` and
        ``suggested_city`` with the row: their names are part of the sentences)."""
        from partnerships.matching.reasons import render_all

        return render_all(
            self.reasons or [], city_name=self.city.name, other_name=self.suggested_city.name
        )
