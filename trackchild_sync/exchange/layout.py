"""The documented layout (docs/trackchild.md): one list of fields per record type, the same for export, import and
push. A record is named by its CLTS id (`<state LGD code>-<R|M|F>-<id>`), which TrackChild keeps, so a record sent
twice is one record there. The guardian's phone and photos are never exported."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings

from trackchild_sync.models import FoundChild, MissingReport, Residence
from trackchild_sync.models.description import DESCRIPTION_FIELDS


@dataclass(frozen=True)
class Layout:
    kind: str  # "residents", "missing", "found"
    letter: str
    model: type
    fields: tuple[str, ...]


def _value(obj, name: str):
    """A field's value as it is written in the extract (codes, not labels; dates as YYYY-MM-DD)."""
    if name == "clts_id":
        return clts_id(obj)
    if name == "district_lgd":
        district = obj.institution.district if isinstance(obj, Residence) else obj.district
        return district.lgd_code if district else None
    if name == "cci_code":
        return obj.institution.code or ""
    if name == "cci_name":
        return obj.institution.name
    if name == "cwc_name":
        return obj.cwc.name
    if name == "case_number":
        return obj.case.case_number if obj.case_id else ""
    if name == "station_code":
        return obj.station.code or ""
    if name == "station_name":
        return obj.station.name
    if name == "placed_in_code":
        return obj.placed_in.code if obj.placed_in_id else ""
    value = getattr(obj, name)
    return value.isoformat() if isinstance(value, date) else value


RESIDENTS = Layout(
    "residents",
    "R",
    Residence,
    (
        "clts_id",
        "trackchild_id",
        "cci_code",
        "cci_name",
        "district_lgd",
        *DESCRIPTION_FIELDS,
        "cwc_name",
        "order_number",
        "ordered_on",
        "admitted_on",
        "on_leave_since",
        "left_on",
        "leaving_reason",
        "case_number",
    ),
)
MISSING = Layout(
    "missing",
    "M",
    MissingReport,
    (
        "clts_id",
        "trackchild_id",
        "station_code",
        "station_name",
        "district_lgd",
        "fir_kind",
        "fir_number",
        "reported_on",
        "last_seen_on",
        "last_seen_place",
        *DESCRIPTION_FIELDS,
        "status",
    ),
)
FOUND = Layout(
    "found",
    "F",
    FoundChild,
    (
        "clts_id",
        "trackchild_id",
        "found_by",
        "found_on",
        "found_place",
        "district_lgd",
        "placed_in_code",
        "placed_note",
        *DESCRIPTION_FIELDS,
        "matched",
    ),
)
LAYOUTS = {layout.kind: layout for layout in (RESIDENTS, MISSING, FOUND)}
RELATED = {
    "residents": ("institution__district", "cwc", "case"),
    "missing": ("station", "district"),
    "found": ("district", "placed_in"),
}


def clts_id(obj) -> str:
    letter = {Residence: "R", MissingReport: "M", FoundChild: "F"}[type(obj)]
    return f"{settings.HOME_STATE}-{letter}-{obj.pk}"


def row_of(layout: Layout, obj) -> dict:
    return {name: _value(obj, name) for name in layout.fields}


def queryset(layout: Layout, *, user=None):
    """The records of a type, through the user's access when a user is given (the push sends every record)."""
    qs = layout.model.objects.all() if user is None else layout.model.objects.visible_to(user)
    return qs.select_related(*RELATED[layout.kind]).order_by("pk")
