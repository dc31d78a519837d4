"""Every write of trackchild_sync, one module per part; the names are read as trackchild_sync.services.<name>."""

from trackchild_sync.services.orders import cwc_order_record, cwc_sitting_record, deadlines_start
from trackchild_sync.services.register import (
    residence_admit,
    residence_discharge,
    residence_leave,
    residence_return,
    residence_transfer,
)

__all__ = [
    "cwc_order_record",
    "cwc_sitting_record",
    "deadlines_start",
    "residence_admit",
    "residence_discharge",
    "residence_leave",
    "residence_return",
    "residence_transfer",
]
