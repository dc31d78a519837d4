"""The engine's own tables: the trained model, term frequencies, blocking keys and the pairs people rejected.

None of them holds a name: the model holds probabilities, the term frequencies count folded words across the
registry (a word is not a person), the keys are 64-bit hashes, and a rejected pair is two record ids.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clts.audit.tracking import track_decisions


@track_decisions(
    "slope", "intercept", "strong_threshold", "shown_threshold", "calibrated_at", "calibrated_by", "calibrated_from"
)
class MatchModel(models.Model):
    """One trained Fellegi-Sunter model: per comparison level, how often true pairs (m) and unrelated pairs (u)
    fall there, estimated from the registry; the calibration of its scores; the thresholds chosen on a labelled
    evaluation set. The newest active model of a purpose is used."""

    purpose = models.CharField(_("purpose"), max_length=30, default="children")
    trained_at = models.DateTimeField(_("trained at"), auto_now_add=True)
    active = models.BooleanField(_("in use"), default=True)
    # {"m": {comparison: [p per level]}, "u": {...}}
    parameters = models.JSONField(_("parameters"))
    # Per term-frequency table, the log2 frequency of a word two unrelated records agree on, on average.
    tf_reference = models.JSONField(_("term-frequency reference"), default=dict)
    records = models.PositiveIntegerField(_("records trained on"), default=0)
    pairs = models.PositiveIntegerField(_("pairs in the estimation"), default=0)
    iterations = models.PositiveSmallIntegerField(_("iterations"), default=0)
    match_share = models.FloatField(_("share of true pairs among blocked pairs"), default=0.0)
    # probability = 1 / (1 + 2 ** -(slope * weight + intercept)), fitted on a labelled set (training.calibrate).
    # The defaults, for a model trained before any calibration, are those chosen on the synthetic evaluation set
    # (tests/matching/test_evaluation.py: prior odds -19.99 bits, strong 0.9964, shown 0.1515).
    slope = models.FloatField(default=1.0)
    intercept = models.FloatField(default=-20.0)
    strong_threshold = models.FloatField(_("strong threshold (probability)"), default=0.996)
    shown_threshold = models.FloatField(_("shown threshold (probability)"), default=0.15)
    evaluation = models.JSONField(_("figures on the labelled set"), default=dict, blank=True)
    # Who chose the thresholds, when and from which labelled file (calibrate_match_thresholds); each change of the
    # calibration is also in the audit trail with the acting user.
    calibrated_at = models.DateTimeField(_("thresholds chosen at"), null=True, blank=True)
    calibrated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thresholds chosen by"),
    )
    calibrated_from = models.CharField(_("labelled set"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("match model")
        constraints = [
            models.UniqueConstraint(fields=["purpose"], condition=Q(active=True), name="matching_one_active_model")
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.trained_at:%Y-%m-%d %H:%M}"


class TermFrequency(models.Model):
    """How many records of the registry carry a folded word, per table ("name", "parent", "village")."""

    model = models.ForeignKey(MatchModel, on_delete=models.CASCADE, related_name="term_frequencies")
    table = models.CharField(max_length=10)
    word = models.CharField(max_length=60)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["model", "table", "word"], name="matching_tf_unique")]

    def __str__(self) -> str:
        return f"{self.table}:{self.word} {self.count}"


class ChildMatchKey(models.Model):
    """A blocking key of a child: candidates for a record are the children sharing its keys (clts.matching.keys)."""

    pk = models.CompositePrimaryKey("key", "child_id")
    key = models.BigIntegerField()
    child_id = models.BigIntegerField(db_index=True)

    class Meta:
        db_table = "childmatchkey"

    def __str__(self) -> str:
        return f"{self.key}:{self.child_id}"


class RejectedPair(models.Model):
    """Two records a person found to be different children: the pair is never raised again."""

    class Source(models.TextChoices):
        REVIEW = "review", _("duplicate review")
        LINK_REQUEST = "link_request", _("link request")
        REGISTRATION = "registration", _("registration")

    child_id = models.BigIntegerField()  # the smaller id of the two
    other_id = models.BigIntegerField()
    source = models.CharField(max_length=20, choices=Source.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child_id", "other_id"], name="matching_rejected_pair_unique"),
            models.CheckConstraint(condition=Q(child_id__lt=models.F("other_id")), name="matching_rejected_ordered"),
        ]
        indexes = [models.Index(fields=["other_id"], name="matching_rejected_other")]

    def __str__(self) -> str:
        return f"{self.child_id} / {self.other_id}"
