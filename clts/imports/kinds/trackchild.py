"""Registers of missing and found children (trackchild_sync): a police station's missing-child reports, and the
children found without a guardian by the police, a DCPU or a CCI.

Each row goes through trackchild_sync's own services, as the typed forms do: `missing_report` (the police station of
the home state, the child's sex, no date in the future, last seen before the report, one report per FIR or GD number
of a station) and `found_record` (the district, the CCI the child was placed in, the sex, no date in the future).
Ages and heights are read within the typed form's own bounds. Each record added gets the matching engine's keys and
is scored against the other side after the commit, as a typed record is.

Already in CLTS: a report with the same station, FIR or GD and number (the service's own uniqueness); a found
child the matching engine finds strongly the same child, found the same day in the same district
(`trackchild_sync.earlier`). Places are read within the home state and the importer's area.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from clts.imports import normalise as n
from clts.imports.kinds import Column, Prepared, ServiceRowsKind
from clts.imports.kinds import common as c
from clts.orgs.models import Institution
from trackchild_sync.choices import FirKind
from trackchild_sync.earlier import found_already
from trackchild_sync.forms import MissingForm
from trackchild_sync.models import FoundChild, MissingReport
from trackchild_sync.services import found_record, missing_report

_PHONE = re.compile(r"^\+?\d{6,15}$")
_FORM = MissingForm.base_fields  # the typed form's bounds of an age and a height


_fir_kind = n.choice_reader(FirKind, {"GD": FirKind.GD, "Sanha": FirKind.GD, "सनहा": FirKind.GD,
                                      "प्राथमिकी": FirKind.FIR})  # fmt: skip


def _phone(value, row, context):
    raw = re.sub(r"[\s\-()]", "", n.text(value).translate(n._DEVANAGARI_DIGITS))
    if raw and not _PHONE.match(raw):
        raise n.Unreadable(_("Give the phone number in digits."))
    return raw


def _description(model) -> tuple[Column, ...]:
    return c.description_columns(model, age=c.bounded(_FORM["age_years"]), height=c.bounded(_FORM["height_cm"]))


_DISTRICT_ALIASES = ("District", "District Name", "Name of District", "जिला", "ज़िला", "जनपद")

MISSING_COLUMNS = (
    Column("district", _("District"), _DISTRICT_ALIASES, c.district,
           help=_("The police station's district: stations of one name are in many districts.")),
    Column("station", _("Police station"), ("Police Station", "PS", "P.S.", "Thana", "Name of Police Station",
           "थाना", "पुलिस थाना", "थाने का नाम"), c.institution_reader(Institution.Kind.POLICE, _(
               "No police station of the state is called “%(value)s”."), district_column="district"), required=True),
    Column("fir_kind", _("FIR or GD"), ("FIR/GD", "FIR or GD", "Report type", "प्राथमिकी/सनहा"),
           c.plain(_fir_kind), help=_("Left empty: FIR.")),
    Column("fir_number", _("FIR or GD number"), ("FIR No", "FIR Number", "FIR/GD No", "GD No", "GD Number",
           "Sanha No", "प्राथमिकी संख्या", "सनहा संख्या"), c.text, required=True,
           max_length=c.max_of(MissingReport, "fir_number")),
    Column("reported_on", _("Reported on"), ("Reported on", "Date of Report", "Report Date", "Date of FIR",
           "FIR Date", "रिपोर्ट की तिथि", "प्राथमिकी की तिथि"), c.day, required=True),
    Column("last_seen_on", _("Last seen on"), ("Last seen on", "Date Last Seen", "Missing Since", "Date of Missing",
           "Missing Date", "गुमशुदगी की तिथि", "अंतिम बार देखे जाने की तिथि"), c.day, required=True),
    Column("last_seen_place", _("Place last seen"), ("Place last seen", "Last seen at", "Missing From",
           "Place of Missing", "गुमशुदगी का स्थान", "अंतिम बार देखे जाने का स्थान"), c.text, required=True,
           max_length=c.max_of(MissingReport, "last_seen_place")),
    *_description(MissingReport),
    Column("guardian_phone", _("Guardian's phone"), ("Guardian's Phone", "Guardian Phone", "Phone", "Mobile",
           "Mobile No", "Contact No", "अभिभावक का फ़ोन", "मोबाइल नंबर", "मोबाइल"), _phone,
           max_length=c.max_of(MissingReport, "guardian_phone")),
)  # fmt: skip

FOUND_COLUMNS = (
    Column("district", _("District"), _DISTRICT_ALIASES, c.district, required=True),
    Column("found_on", _("Found on"), ("Found on", "Date Found", "Date of Finding", "Recovery Date",
           "Date of Recovery", "मिलने की तिथि", "बरामदगी की तिथि"), c.day, required=True),
    Column("found_place", _("Place found"), ("Place found", "Found at", "Place of Finding", "Place of Recovery",
           "मिलने का स्थान", "बरामदगी का स्थान"), c.text, required=True,
           max_length=c.max_of(FoundChild, "found_place")),
    Column("found_by", _("Found by"), ("Found by", "Recovered by", "Finder", "किसने पाया", "बरामद करने वाला"),
           c.text, required=True, max_length=c.max_of(FoundChild, "found_by")),
    Column("placed_in", _("Placed in"), ("Placed in", "CCI", "Name of CCI", "Home", "Sent to", "संस्था",
           "बाल गृह"), c.institution_reader(Institution.Kind.CCI, _(
               "No child care institution of the district is called “%(value)s”."), district_column="district")),
    Column("placed_note", _("Where placed (other)"), ("Where placed", "Placed with", "Other placement",
           "कहाँ रखा गया"), c.text, max_length=c.max_of(FoundChild, "placed_note")),
    *_description(FoundChild),
)  # fmt: skip

# The services' errors (keyed by their field) at the column of the same name.
_BY_NAME = ("station", "district", "placed_in", "sex", "reported_on", "last_seen_on", "found_on", "fir_number")


class MissingRegister(ServiceRowsKind):
    columns = MISSING_COLUMNS
    fallback_column = case_column = "station"
    error_columns = {name: name for name in _BY_NAME}

    def context(self, *, actor):
        return c.PlacesContext(actor, Institution.Kind.POLICE)

    def same_row_key(self, row: dict):
        station, number = row.get("station"), n.text(row.get("fir_number")).upper()
        return (station.pk, row.get("fir_kind") or FirKind.FIR, number) if station and number else None

    def existing(self, row: dict) -> str:
        return f"{row['station'].name}: {row['fir_number']}"

    def _row(self, row: dict, *, actor) -> str:
        kind = row.get("fir_kind") or FirKind.FIR
        same = MissingReport.objects.filter(station=row["station"], fir_kind=kind, fir_number=row["fir_number"])
        if same.exists():
            return "unchanged"
        missing_report(
            actor=actor,
            station=row["station"],
            fir_kind=kind,
            fir_number=row["fir_number"],
            reported_on=row.get("reported_on"),
            last_seen_on=row.get("last_seen_on"),
            last_seen_place=row.get("last_seen_place") or "",
            guardian_phone=row.get("guardian_phone") or "",
            **c.description_of(row),
        )
        return "new"


class FoundRegister(ServiceRowsKind):
    columns = FOUND_COLUMNS
    fallback_column = case_column = "district"
    error_columns = {name: name for name in _BY_NAME}

    def context(self, *, actor):
        return c.PlacesContext(actor, Institution.Kind.CCI)

    def same_row_key(self, row: dict):
        district = row.get("district")
        if district is None or not row.get("found_on"):
            return None
        child = (n.place_key(row.get("name") or ""), row.get("sex"), row.get("age_years"), row.get("guardian_name"))
        return (district.pk, row["found_on"], child)

    def check(self, prepared: Prepared, *, actor, context) -> None:
        # Found children in CLTS before the check's own writes (rolled back) could be mistaken for them.
        for row in prepared.rows:
            row.pop("already", None)
        valid = {index: row for index, row in enumerate(prepared.rows) if index not in prepared.errors}
        for index, found_id in found_already(valid).items():
            prepared.rows[index]["already"] = _("found child no. %(id)s") % {"id": found_id}
        super().check(prepared, actor=actor, context=context)

    def existing(self, row: dict) -> str:
        return str(row["already"])

    def _row(self, row: dict, *, actor) -> str:
        if row.get("already"):
            return "unchanged"
        found_record(
            actor=actor,
            district=row["district"],
            placed_in=row.get("placed_in"),
            found_by=row.get("found_by") or "",
            found_on=row.get("found_on"),
            found_place=row.get("found_place") or "",
            placed_note=row.get("placed_note") or "",
            **c.description_of(row),
        )
        return "new"
