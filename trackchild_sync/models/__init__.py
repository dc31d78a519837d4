"""The models of trackchild_sync, one module per part (orders, register, missing and found, exchange)."""

from trackchild_sync.models.compliance import UploadFigures
from trackchild_sync.models.exchange import ExtractImport, Pushed, SyncAttempt, SyncRun
from trackchild_sync.models.missing import FoundChild, MatchKey, MatchPair, MissingReport
from trackchild_sync.models.orders import CwcDeadline, CwcOrder, CwcSitting, CwcStep
from trackchild_sync.models.register import RegisterEvent, Residence

__all__ = [
    "CwcDeadline",
    "CwcOrder",
    "CwcSitting",
    "CwcStep",
    "ExtractImport",
    "FoundChild",
    "MatchKey",
    "MatchPair",
    "MissingReport",
    "Pushed",
    "RegisterEvent",
    "Residence",
    "SyncAttempt",
    "SyncRun",
    "UploadFigures",
]
