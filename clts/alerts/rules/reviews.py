"""Deadlines of review: a link request to decide, a possible duplicate to review, a missing child's possible match.

Each is a queue a person works through: the district holding the earlier case decides link requests (issue 9) and
reviews the duplicates of the nightly pass (issue 12, `rescue.DuplicatePair`); the district's DCPU reviews the pairs
the engine raises between missing-child reports and children found (`trackchild_sync.MatchPair`). No source fixes a
time for any of them: the rules ship without one and stay inactive until the administrator sets it.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clts.alerts.rules.base import RuleKind, after, history_values, home_place, open_values, started_by
from rescue.choices import LinkRequestStatus
from rescue.models import DuplicatePair, LinkRequest
from trackchild_sync.choices import PairStatus
from trackchild_sync.models import MatchPair


class _EarlierCaseDecision(RuleKind):
    """A pending decision on a new record that may be an earlier case's child, made by the district holding the
    earlier case (clock: `clock`, when the record was filed or found; met: confirmed or rejected). The alert's case is
    the earlier case, the one in the deciding officer's jurisdiction, never the requester's."""

    clock: str
    action: str
    url_name: str

    def open_items(self, *, rule, now):
        pending = self.model.objects.filter(
            status=LinkRequestStatus.PENDING, **{f"{self.clock}__lte": started_by(rule, now)}
        )
        return open_values(
            pending,
            obj="pk",
            case="earlier_case_id",
            due=after(self.clock, rule),
            action=self.action,
            **home_place("earlier_case__"),
        )

    def history(self, *, rule):
        return history_values(
            self.model.objects.all(),
            officer="decided_by_id",
            due=after(self.clock, rule),
            done="decided_at",
            **home_place("earlier_case__"),
        )

    def link(self, *, alert, user):
        return reverse(self.url_name, kwargs={"pk": alert.object_id})


class LinkRequestDecision(_EarlierCaseDecision):
    """A link request filed by registration, decided by the district holding the earlier case."""

    key = "rescue.link_request"
    object_type = "link_request"
    model = LinkRequest
    clock, action, url_name = "filed_at", "decide", "rescue:link-request-detail"
    tasks = {"decide": _("Decide whether the new case is the same child")}


class DuplicateReview(_EarlierCaseDecision):
    """A possible duplicate from the nightly pass, reviewed by the district holding the earlier case."""

    key = "rescue.duplicate_review"
    object_type = "duplicate_pair"
    model = DuplicatePair
    clock, action, url_name = "found_at", "review", "rescue:duplicate-detail"
    tasks = {"review": _("Review the possible duplicate record")}


class MissingMatchReview(RuleKind):
    """A possible match between a missing-child report and a child found (or a CCI resident) reviewed where the
    child now is (clock: the pair raised; met: confirmed, rejected, or closed by a match elsewhere).

    No case and no institution: the alert answers to the district's DCPU (the rule's role; the CWC reviews the same
    queue from its own page)."""

    key = "trackchild.match_review"
    object_type = "match_pair"
    model = MatchPair
    tasks = {"review": _("Review the possible match for a missing child")}

    def open_items(self, *, rule, now):
        pairs = MatchPair.objects.filter(status=PairStatus.PENDING, raised_at__lte=started_by(rule, now))
        return open_values(
            pairs,
            obj="pk",
            case=None,
            district="district_id",
            block=None,
            due=after("raised_at", rule),
            action="review",
        )

    def history(self, *, rule):
        # A pair closed because the report was matched elsewhere needed no review: only decided or waiting ones.
        return history_values(
            MatchPair.objects.exclude(status=PairStatus.SUPERSEDED),
            district="district_id",
            block=None,
            officer="decided_by_id",
            due=after("raised_at", rule),
            done="decided_at",
        )

    def link(self, *, alert, user):
        return reverse("trackchild:pair-detail", kwargs={"pk": alert.object_id})


KINDS = [LinkRequestDecision, DuplicateReview, MissingMatchReview]
