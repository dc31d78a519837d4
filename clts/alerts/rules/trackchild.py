"""Deadlines of trackchild_sync: the Committee's time limits on a case (the CWC's steps, as data), the CCI register
kept and the TrackChild upload made at least monthly.

A step's time is kept in trackchild_sync (`CwcStep.due_after`, empty until a source fixes it), so the rule is timed
by the record: due when the step's clock started plus its time. A step with no time is never due.

"At least monthly" (the register, the upload) is the requirement of issue 14 (the department's SOP as the issue
states it); no Act or rule fixing it could be confirmed. It is kept here as one calendar month after the last
entry (PostgreSQL's `interval '1 month'`: 15 January -> 15 February), timed by the record; the administrator
switches the rule off or edits its reminder window, escalation and source like any other.
"""

from django.db import models
from django.db.models import Exists, F, Func, Max, Min, OuterRef, Subquery, Window
from django.db.models.functions import Lead, Least
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clts.accounts.access import Scope, scope_filter
from clts.accounts.roles import Role
from clts.alerts.models import Timing
from clts.alerts.rules.base import RuleKind, history_values, open_values
from clts.geo.models import District
from clts.orgs.models import Institution
from trackchild_sync.models import CwcDeadline, FoundChild, MissingReport, Pushed, RegisterEvent, Residence


def _due() -> models.Expression:
    return models.ExpressionWrapper(F("started_at") + F("step__due_after"), output_field=models.DateTimeField())


class CwcStepDue(RuleKind):
    """A step of the Committee's proceedings done in its time (clock: production or the order that starts it; met:
    the order that satisfies it)."""

    key = "trackchild.cwc_order"
    object_type = "cwc_deadline"
    model = CwcDeadline
    timings = (Timing.RECORD,)
    tasks = {"order": _("Record the Committee's order or report")}

    def open_items(self, *, rule, now):
        deadlines = (
            CwcDeadline.objects.filter(met_at__isnull=True, step__due_after__isnull=False)
            .annotate(due=_due())
            .filter(due__lte=now + rule.remind_delta)
        )
        return open_values(
            deadlines,
            obj="pk",
            case="case_id",
            institution="case__cwc_id",
            district="case__district_id",
            block="case__block_id",
            due=_due(),
            action="order",
        )

    def history(self, *, rule):
        return history_values(
            CwcDeadline.objects.filter(step__due_after__isnull=False),
            district="case__district_id",
            block="case__block_id",
            institution="case__cwc_id",
            officer="met_by__recorded_by_id",
            due=_due(),
            done="met_at",
        )

    def link(self, *, alert, user):
        if user.role == Role.CWC:
            return reverse("trackchild:cwc-order-create", kwargs={"case_number": alert.case.case_number})
        return super().link(alert=alert, user=user)


class _MonthAfter(Func):
    """A moment plus one calendar month (15 January 10:00 -> 15 February 10:00; 31 January -> 28 or 29 February)."""

    template = "(%(expressions)s + interval '1 month')"
    output_field = models.DateTimeField()


def _month_after(field) -> models.Expression:
    return _MonthAfter(F(field) if isinstance(field, str) else field)


class _Seen:
    """`model.objects.visible_to(user)` for kernel rows that carry no scope of their own (an institution, a
    district): what My work's live re-check asks of a kind's model."""

    def __init__(self, queryset, scope: Scope):
        self.queryset, self.scope = queryset, scope

    def visible_to(self, user):
        return self.queryset().filter(scope_filter(user, self.scope))


class _Homes:
    """The CCIs, as their staff, their district's officers and DCPU, and the state see them."""

    objects = _Seen(
        lambda: Institution.objects.filter(kind=Institution.Kind.CCI),
        Scope(district=("district",), cci=("pk",), dcpu=("district",)),
    )


class _Districts:
    """The districts, as their officers and DCPU, and the state see them."""

    objects = _Seen(lambda: District.objects.all(), Scope(district=("pk",), dcpu=("pk",)))


def _last_entry() -> Subquery:
    """When the home's register last had an entry (admitted, leave, back, left, particulars corrected)."""
    entries = (
        RegisterEvent.objects.filter(residence__institution_id=OuterRef("pk"))
        .order_by()
        .values("residence__institution_id")
        .annotate(last=Max("recorded_at"))
        .values("last")
    )
    return Subquery(entries, output_field=models.DateTimeField())


class CciRegisterKept(RuleKind):
    """A CCI's register kept at least monthly (clock: its last entry; met: an entry within the calendar month
    after it). Only a home that holds a child now and has ever made an entry is watched: an empty home has no
    register to keep, and a home that never entered anything has no clock (the upload compliance page shows it)."""

    key = "trackchild.cci_register"
    object_type = "institution"
    model = _Homes
    timings = (Timing.RECORD,)
    tasks = {"register": _("Bring the home's register up to date")}

    def open_items(self, *, rule, now):
        homes = (
            Institution.objects.filter(kind=Institution.Kind.CCI, is_active=True)
            .filter(Exists(Residence.objects.filter(institution_id=OuterRef("pk"), left_on__isnull=True)))
            .annotate(last_entry=_last_entry())
            .annotate(due=_month_after("last_entry"))
            .filter(due__lte=now + rule.remind_delta)
        )
        return open_values(
            homes,
            obj="pk",
            case=None,
            institution="pk",
            district="district_id",
            block=None,
            due=_month_after("last_entry"),
            action="register",
        )

    def history(self, *, rule):
        # Each entry starts the month within which the next one is due; met by that next entry.
        following = Window(
            Lead("recorded_at"), partition_by=[F("residence__institution_id")], order_by=F("recorded_at").asc()
        )
        return history_values(
            RegisterEvent.objects.all(),
            obj="residence__institution_id",
            district="residence__institution__district_id",
            block=None,
            institution="residence__institution_id",
            officer="actor_id",
            due=_month_after("recorded_at"),
            done=following,
        )

    def link(self, *, alert, user):
        return reverse("trackchild:home-register", kwargs={"pk": alert.object_id})


# The records TrackChild is sent (exchange.layout), each with the lookup of its district.
_UPLOADED = (
    ("residents", Residence, "institution__district_id"),
    ("missing", MissingReport, "district_id"),
    ("found", FoundChild, "district_id"),
)


def _waiting(kind: str, model) -> models.QuerySet:
    """Records TrackChild has not accepted in their present version (never pushed, or changed since)."""
    accepted = Pushed.objects.filter(kind=kind, target_id=OuterRef("pk"), version__gte=OuterRef("updated_at"))
    return model.objects.order_by().filter(~Exists(accepted))


def _oldest_waiting() -> models.Expression:
    """The oldest change in the district that TrackChild has not accepted yet (NULL: everything is uploaded)."""
    oldest = [
        Subquery(
            _waiting(kind, model)
            .filter(**{district: OuterRef("pk")})
            .values(district)
            .annotate(oldest=Min("updated_at"))
            .values("oldest"),
            output_field=models.DateTimeField(),
        )
        for kind, model, district in _UPLOADED
    ]
    return Least(*oldest)  # PostgreSQL's LEAST skips NULLs


def _dcpu() -> Subquery:
    """The district's DCPU (it sees the district's upload on its work list with the district officer)."""
    units = Institution.objects.filter(kind=Institution.Kind.DCPU, district_id=OuterRef("pk"), is_active=True)
    return Subquery(units.order_by("pk").values("pk")[:1])


class TrackChildUpload(RuleKind):
    """The district's records uploaded to TrackChild at least monthly (clock: the oldest change TrackChild has not
    accepted; met: TrackChild accepted it, through the push). Nothing waiting, nothing due."""

    key = "trackchild.upload"
    object_type = "district"
    model = _Districts
    timings = (Timing.RECORD,)
    tasks = {"upload": _("Get the district's records uploaded to TrackChild")}

    def open_items(self, *, rule, now):
        districts = (
            District.objects.annotate(oldest=_oldest_waiting())
            .annotate(due=_month_after("oldest"))
            .filter(due__lte=now + rule.remind_delta)
        )
        return open_values(
            districts,
            obj="pk",
            case=None,
            institution=_dcpu(),
            district="pk",
            block=None,
            due=_month_after("oldest"),
            action="upload",
        )

    def history(self, *, rule):
        # Each version of a record is due at TrackChild within the month after it was written; met when accepted.
        parts = []
        for kind, model, district in _UPLOADED:
            accepted = Pushed.objects.filter(kind=kind, target_id=OuterRef("pk"), version__gte=OuterRef("updated_at"))
            parts.append(
                history_values(
                    model.objects.all(),
                    obj=district,
                    district=district,
                    block=None,
                    institution=None,
                    due=_month_after("updated_at"),
                    done=Subquery(accepted.values("pushed_at")[:1], output_field=models.DateTimeField()),
                )
            )
        return parts[0].union(*parts[1:], all=True)

    def link(self, *, alert, user):
        return reverse("trackchild:exchange")


KINDS = [CwcStepDue, CciRegisterKept, TrackChildUpload]
