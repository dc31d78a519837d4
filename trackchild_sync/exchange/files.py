"""Export of the documented layout as CSV and JSON (within the user's access), and import of TrackChild extracts.

An import is all or nothing: every line is checked first, every bad line is reported with its number, field and
reason, and only an extract without a single bad line is written, in one transaction. A line with a TrackChild id
already in CLTS updates that record; any other adds one.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clts.accounts import access
from clts.core.spreadsheets import safe_row
from clts.geo.models import District
from clts.orgs.models import Institution
from rescue.choices import Sex
from trackchild_sync.choices import FirKind
from trackchild_sync.exchange.layout import Layout, queryset, row_of
from trackchild_sync.models import ExtractImport, FoundChild, MissingReport
from trackchild_sync.models.description import DESCRIPTION_FIELDS, Complexion


def export_rows(layout: Layout, *, user):
    """Every record of the type the user sees, as layout rows (a generator: a state's extract is streamed)."""
    for obj in queryset(layout, user=user).iterator(chunk_size=2000):
        yield row_of(layout, obj)


def export_csv(layout: Layout, *, user):
    """CSV lines (header first), each cell escaped against spreadsheet formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(layout.fields)
    yield buffer.getvalue()
    for row in export_rows(layout, user=user):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(safe_row(["" if row[name] is None else row[name] for name in layout.fields]))
        yield buffer.getvalue()


def export_json(layout: Layout, *, user):
    """A JSON document: {"layout": kind, "fields": [...], "records": [{...}, ...]}, written record by record."""
    head = json.dumps({"layout": layout.kind, "fields": list(layout.fields)})
    yield head[:-1] + ', "records": ['
    for n, row in enumerate(export_rows(layout, user=user)):
        yield ("," if n else "") + "\n" + json.dumps(row, ensure_ascii=False)
    yield "\n]}\n"


# --- import -------------------------------------------------------------------------------------------------------

IMPORTABLE = ("missing", "found")


@dataclass
class BadLine:
    line: int
    field: str
    message: str


def _lines(content: bytes, fmt: str) -> list[dict]:
    text = content.decode("utf-8-sig")
    if fmt == "json":
        data = json.loads(text)
        records = data["records"] if isinstance(data, dict) else data
        if not isinstance(records, list) or not all(isinstance(item, dict) for item in records):
            raise ValueError
        return records
    return list(csv.DictReader(io.StringIO(text)))


def _date(value) -> date | None:
    return date.fromisoformat(str(value)) if value not in (None, "") else None


def _int(value) -> int | None:
    return int(value) if value not in (None, "") else None


class _Line:
    """One line being checked: each field parsed, each problem kept with its field."""

    def __init__(self, number: int, raw: dict, bad: list[BadLine]):
        self.number, self.raw, self.bad, self.values = number, raw, bad, {}

    def take(self, name: str, parse=str, *, required=False, choices=None):
        value = self.raw.get(name)
        if value in (None, ""):
            if required:
                self.bad.append(BadLine(self.number, name, _("This field is required.")))
            return
        try:
            parsed = parse(value) if parse is not str else str(value).strip()
        except (TypeError, ValueError):
            self.bad.append(BadLine(self.number, name, _("Not a valid value: %(value)s") % {"value": str(value)[:40]}))
            return
        if choices is not None and parsed not in choices:
            self.bad.append(BadLine(self.number, name, _("Not one of: %(choices)s") % {"choices": ", ".join(choices)}))
            return
        self.values[name] = parsed


def _description(line: _Line) -> None:
    for name in DESCRIPTION_FIELDS:
        if name == "sex":
            line.take("sex", required=True, choices=Sex.values)
        elif name in ("age_years", "height_cm"):
            line.take(name, _int)
        elif name == "date_of_birth":
            line.take(name, _date)
        elif name == "complexion":
            line.take(name, choices=Complexion.values)
        else:
            line.take(name)


def _district(line: _Line, districts: dict[int, District]) -> None:
    code = line.raw.get("district_lgd")
    try:
        district = districts.get(int(code)) if code not in (None, "") else None
    except ValueError:
        district = None
    if district is None:
        line.bad.append(BadLine(line.number, "district_lgd", _("No district with this LGD code.")))
    line.values["district"] = district


def _check(kind: str, records: list[dict], *, user, first: int) -> tuple[list[dict], list[BadLine]]:
    bad: list[BadLine] = []
    state_wide = user.is_superuser or user.role in ("admin", "state")
    seen: set[str] = set()
    checked = []
    districts = {d.lgd_code: d for d in District.objects.exclude(lgd_code=None)}
    stations = {i.code: i for i in Institution.objects.filter(kind=Institution.Kind.POLICE).exclude(code="")}
    homes = {i.code: i for i in Institution.objects.filter(kind=Institution.Kind.CCI).exclude(code="")}
    for number, raw in enumerate(records, start=first):
        line = _Line(number, raw, bad)
        line.take("trackchild_id", required=True)
        if line.values.get("trackchild_id") in seen:
            bad.append(BadLine(number, "trackchild_id", _("The same TrackChild id is on an earlier line.")))
        seen.add(line.values.get("trackchild_id"))
        _description(line)
        _district(line, districts)
        district = line.values["district"]
        if district is not None and not state_wide and district.pk != user.district_id:
            bad.append(BadLine(number, "district_lgd", _("An extract may hold only records of your own district.")))
        if kind == "missing":
            station = stations.get(str(raw.get("station_code") or ""))
            if station is None:
                bad.append(BadLine(number, "station_code", _("No police station with this code.")))
            line.values["station"] = station
            line.take("fir_kind", choices=FirKind.values)
            line.take("fir_number", required=True)
            fir = line.values.get("fir_number")
            other = MissingReport.objects.filter(station=station, fir_number=fir, fir_kind=raw.get("fir_kind") or "fir")
            if station is not None and fir and other.exclude(trackchild_id=line.values.get("trackchild_id")).exists():
                bad.append(
                    BadLine(number, "fir_number", _("This station's report with this number is already in CLTS."))
                )
            line.take("reported_on", _date, required=True)
            line.take("last_seen_on", _date, required=True)
            line.take("last_seen_place", required=True)
        else:
            line.take("found_by", required=True)
            line.take("found_on", _date, required=True)
            line.take("found_place", required=True)
            line.take("placed_note")
            code = raw.get("placed_in_code")
            if code not in (None, ""):
                if str(code) not in homes:
                    bad.append(BadLine(number, "placed_in_code", _("No CCI with this code.")))
                line.values["placed_in"] = homes.get(str(code))
        checked.append(line.values)
    return checked, bad


def import_extract(*, user, kind: str, content: bytes, fmt: str) -> tuple[ExtractImport | None, list[BadLine]]:
    """Check every line; write all of them (in one transaction) or none, and say which lines are bad and why."""
    access.require(user, "trackchild.exchange")
    if kind not in IMPORTABLE:
        raise ValidationError({"kind": _("TrackChild extracts of missing or found children are imported.")})
    try:
        records = _lines(content, fmt)
    except (ValueError, KeyError, UnicodeDecodeError, csv.Error):
        return None, [
            BadLine(
                1, "", _("The file is not a %(format)s extract in the documented layout.") % {"format": fmt.upper()}
            )
        ]
    # A JSON record is numbered by its place in the list; a CSV line by its line in the file (the header is line 1).
    checked, bad = _check(kind, records, user=user, first=1 if fmt == "json" else 2)
    if bad:
        return None, bad
    return _write(user=user, kind=kind, checked=checked), []


@transaction.atomic
def _write(*, user, kind: str, checked: list[dict]) -> ExtractImport:
    model = MissingReport if kind == "missing" else FoundChild
    created = updated = 0
    for values in checked:
        existing = model.objects.filter(trackchild_id=values["trackchild_id"]).first()
        if existing is not None:
            for name, value in values.items():
                setattr(existing, name, value)
            existing.save()
            updated += 1
        else:
            model.objects.create(recorded_by=user, **values)
            created += 1
    return ExtractImport.objects.create(
        kind=kind, lines=len(checked), created=created, updated=updated, imported_by=user
    )
