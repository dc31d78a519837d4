"""Aggregate figures for dashboards: counts only, small counts suppressed."""

from django.db.models import Count, Q

from rescue.models import Case, Interstate, Status

# Counts below this are shown as "<5" so that a dashboard cannot single out a child.
SMALL_COUNT = 5


def suppress(count: int) -> int | str:
    return f"<{SMALL_COUNT}" if 0 < count < SMALL_COUNT else count


def home_figures(*, user) -> dict:
    """Case counts within the user's jurisdiction, by the questions the home page answers."""
    totals = Case.objects.visible_to(user).aggregate(
        total=Count("pk"),
        open=Count("pk", filter=~Q(status__in=[Status.CLOSED, Status.TRANSFERRED_OUT])),
        within_state=Count("pk", filter=Q(interstate=Interstate.NONE)),
        outside_state=Count("pk", filter=Q(interstate=Interstate.INBOUND)),
        late=Count("pk", filter=Q(production_late=True)),
        retrafficked=Count("pk", filter=Q(status=Status.RETRAFFICKED)),
    )
    return {key: suppress(value) for key, value in totals.items()}
