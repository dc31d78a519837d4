"""Reads of trackchild_sync, always through the user's access."""

from rescue.models import Case
from trackchild_sync.models import CwcOrder


def cwc_orders_of(*, case: Case) -> list[CwcOrder]:
    """The Committee's orders on a case the reader already sees (the case page), oldest first."""
    return list(
        CwcOrder.objects.filter(case=case).select_related("cwc", "cci", "recorded_by").order_by("ordered_on", "id")
    )
