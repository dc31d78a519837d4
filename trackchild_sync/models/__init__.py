"""The models of trackchild_sync, one module per part (orders, register, missing and found, exchange)."""

from trackchild_sync.models.orders import CwcDeadline, CwcOrder, CwcSitting, CwcStep
from trackchild_sync.models.register import RegisterEvent, Residence

__all__ = ["CwcDeadline", "CwcOrder", "CwcSitting", "CwcStep", "RegisterEvent", "Residence"]
