"""Aggregate figures for the home page and the report pages: counts only, through the disclosure rule."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Max, Q, Subquery, Sum
from django.shortcuts import get_object_or_404

from clts.accounts import access
from clts.core.disclosure import key, protect
from clts.geo.models import District
from clts.reports.models import CaseSummary
from rescue.models import Interstate, Status


def _sum(condition: Q | None = None) -> Sum:
    return Sum("cases", filter=condition, default=0)


# The home page's figures as disclosure keys: the total and its parts within and outside the state.
HOME_KEYS = {
    "total": key(),
    "within_state": key(place="within"),
    "outside_state": key(place="outside"),
    "other_state_children": key(place="within", origin="other_state"),
    "open": key(open=True),
    "late": key(late=True),
    "retrafficked": key(stage="retrafficked"),
    "restored_cases": key(restored=True),
    "restored_retrafficked": key(restored=True, stage="retrafficked"),
}


def home_figures(*, user) -> dict:
    """Case counts within the user's jurisdiction, from the summary table (as of its last refresh).

    Every figure counts only cases the user may open, so the disclosure rule (clts.core.disclosure) hides none of
    them from this reader; they go through it all the same, so that the rule stays the one place that decides.
    """
    totals = CaseSummary.objects.visible_to(user).aggregate(
        total=_sum(),
        open=_sum(~Q(status__in=[Status.CLOSED, Status.TRANSFERRED_OUT, Status.RETRAFFICKED])),
        late=_sum(Q(production_late=True)),
        retrafficked=_sum(Q(status=Status.RETRAFFICKED)),
        # Rescued within the state (its own children and other states') and the state's children rescued outside.
        within_state=_sum(~Q(interstate=Interstate.INBOUND)),
        outside_state=_sum(Q(interstate=Interstate.INBOUND)),
        other_state_children=_sum(Q(interstate=Interstate.OUTBOUND)),
        restored_cases=_sum(Q(restored=True)),
        restored_retrafficked=_sum(Q(restored=True, status=Status.RETRAFFICKED)),
    )
    disclosure = protect({HOME_KEYS[name]: value for name, value in totals.items()}, own=lambda k: True)
    figures = {name: disclosure.show(k) for name, k in HOME_KEYS.items()}
    restored, retrafficked = figures.pop("restored_cases"), figures.pop("restored_retrafficked")
    rate = None
    if isinstance(restored, int) and isinstance(retrafficked, int) and restored:
        rate = (Decimal(100) * retrafficked / restored).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    figures["retrafficking_rate"] = rate
    figures["as_of"] = CaseSummary.objects.aggregate(at=Max("refreshed_at"))["at"]
    return figures


def report_districts():
    """The districts of the state, the rows of every report."""
    return District.objects.filter(state__lgd_code=settings.HOME_STATE).order_by("name_en")


def report_districts_as_of():
    """The state's districts, each with `figures_as_of`, the time the dashboards' figures were last rebuilt: what a
    dashboard needs before it reads its figures, in one query."""
    from clts.reports.models import CaseFacts

    refreshed = CaseFacts.objects.order_by("pk").values("refreshed_at")[:1]
    return report_districts().annotate(figures_as_of=Subquery(refreshed))


def report_district(district_id: int | None) -> District | None:
    return report_districts().filter(pk=district_id).first() if district_id else None


def report_district_or_404(district_id: int) -> District:
    """One district of the state, with `figures_as_of` (see report_districts_as_of)."""
    return get_object_or_404(report_districts_as_of(), pk=district_id)


def monthly_reports(*, user):
    """The monthly reports the user may download: the state's for state-wide readers, a district's for its offices."""
    from clts.reports.models import ReportFile

    return (
        ReportFile.objects.visible_to(user)
        .select_related("district")
        .order_by("-month", "district__name_en", "language")[:200]
    )


def monthly_report_or_404(*, user, pk: int):
    from clts.reports.models import ReportFile

    return access.get_visible_or_404(ReportFile, user, pk=pk)


def export_jobs(*, user):
    """The user's own background exports (an export belongs to the user who asked for it)."""
    from clts.reports.models import ExportJob

    return ExportJob.objects.filter(user=user).order_by("-created_at")[:50]


def export_job_or_404(*, user, pk: int):
    from clts.reports.models import ExportJob

    return get_object_or_404(ExportJob, user=user, pk=pk)
