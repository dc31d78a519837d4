"""The CWC and CCI panel of the case page (settings.CASE_PAGE_PANELS): where the child is now (the CCI register),
the Committee's orders, and the button to record one."""

from clts.accounts import access
from rescue.models import Status
from trackchild_sync import queries

# While the child is before the Committee or in its care, the CWC records production and orders.
_ORDERS_OPEN = (Status.RESCUED, Status.PRODUCED, Status.IN_SHELTER)


def case_panel(*, request, case) -> dict | None:
    can_record = access.can(request.user, "case.record_cwc_order") and case.status in _ORDERS_OPEN
    orders = queries.cwc_orders_of(case=case)
    stays = queries.stays_of(case=case)
    where_now = next((stay for stay in stays if stay.is_open), None)
    deadlines = queries.deadlines_of(case=case)
    if not orders and not can_record and not stays and not deadlines:
        return None
    return {
        "template": "trackchild_sync/case_panel.html",
        "actions_template": "trackchild_sync/case_actions.html" if can_record else None,
        "context": {
            "orders": orders,
            "deadlines": deadlines,
            "can_record_order": can_record,
            "stays": stays,
            "where_now": where_now,
            "can_see_register": where_now is not None and access.can(request.user, "register.view"),
        },
    }
