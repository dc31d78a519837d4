"""Aggregate figures for dashboards: counts only, small counts suppressed."""

from django.db.models import Count, Q

from rescue import queries as rescue_queries
from rescue.models import Case, Status

# Counts below this are shown as "<5" so that a dashboard cannot single out a child.
SMALL_COUNT = 5


def suppress(count: int) -> int | str:
    return f"<{SMALL_COUNT}" if 0 < count < SMALL_COUNT else count


def home_figures(*, user) -> dict:
    """Case counts within the user's jurisdiction, by the questions the home page answers."""
    totals = Case.objects.visible_to(user).aggregate(
        total=Count("pk"),
        open=Count("pk", filter=~Q(status__in=[Status.CLOSED, Status.TRANSFERRED_OUT])),
        late=Count("pk", filter=Q(production_late=True)),
        retrafficked=Count("pk", filter=Q(status=Status.RETRAFFICKED)),
    )
    # Rescued within the state (its own children and other states') and outside it, and re-trafficking,
    # as the rescue app defines them.
    totals |= rescue_queries.rescue_location_counts(user=user)
    rate = rescue_queries.retrafficking_rate(user=user)
    figures = {key: suppress(value) for key, value in totals.items()}
    # A rate would give away a small count of re-trafficked children, so it is hidden with the count.
    figures["retrafficking_rate"] = rate["rate"] if not 0 < rate["retrafficked"] < SMALL_COUNT else None
    return figures
