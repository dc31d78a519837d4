"""Aggregate figures for dashboards: counts only, small counts suppressed."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Max, Q, Sum

from clts.reports.models import CaseSummary
from rescue.models import Interstate, Status

# Counts below this are shown as "<5" so that a dashboard cannot single out a child.
SMALL_COUNT = 5


def suppress(count: int) -> int | str:
    return f"<{SMALL_COUNT}" if 0 < count < SMALL_COUNT else count


def _sum(condition: Q | None = None) -> Sum:
    return Sum("cases", filter=condition, default=0)


def home_figures(*, user) -> dict:
    """Case counts within the user's jurisdiction, from the summary table (as of its last refresh)."""
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
    as_of = CaseSummary.objects.aggregate(at=Max("refreshed_at"))["at"]
    restored, retrafficked = totals.pop("restored_cases"), totals.pop("restored_retrafficked")
    figures = {key: suppress(value) for key, value in totals.items()}
    # The rate of restored children found re-trafficked; hidden with a small count, which it would give away.
    rate = None
    if restored and not 0 < retrafficked < SMALL_COUNT:
        rate = (Decimal(100) * retrafficked / restored).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    figures["retrafficking_rate"] = rate
    figures["as_of"] = as_of
    return figures
