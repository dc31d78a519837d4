"""Upload compliance: for every CCI and police station, when it last entered data, how many children it holds
against how many TrackChild has accepted, how many entries were late, and its rank in the district.

Counts of records, never a child: the figures are aggregates, read within the user's area (a district's own
institutions; the state all). `upload_compliance` is what the pages and the dashboards (issue 15) call.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from clts.accounts import access
from clts.geo.models import District
from clts.orgs.models import Institution
from trackchild_sync.models import UploadFigures

LATE_AFTER_DAYS = 7  # a CLTS default for "entered late", not a statutory time: change it here or per call


# Each kind of record summed by institution: one pass over the records, the version TrackChild accepted joined once
# (never a subquery a row); `records` narrows them to one district's institutions.
_KINDS = {
    "cci": {
        "table": "trackchild_sync_residence",
        "owner": "institution_id",
        "pushed": "residents",
        "held": "r.admitted_on <= %(as_of)s AND (r.left_on IS NULL OR r.left_on > %(as_of)s)",
        "due": "r.admitted_on",
    },
    "police": {
        "table": "trackchild_sync_missingreport",
        "owner": "station_id",
        "pushed": "missing",
        "held": "r.status = 'open'",
        "due": "r.reported_on",
    },
}
_BY_INSTITUTION = """
    SELECT r.{owner} AS id, max(r.recorded_at) AS last_entry,
      count(*) FILTER (WHERE {held}) AS held,
      count(*) FILTER (WHERE {held} AND p.target_id IS NOT NULL) AS entered,
      count(*) FILTER (WHERE (r.recorded_at AT TIME ZONE %(tz)s)::date > {due} + %(late)s) AS late,
      count(*) AS total
    FROM {table} r
    LEFT JOIN trackchild_sync_pushed p ON p.kind = '{pushed}' AND p.target_id = r.id
    WHERE true {records}
    GROUP BY r.{owner}
"""
_OF_DISTRICT = "AND r.{owner} IN (SELECT id FROM orgs_institution WHERE district_id = %(district)s)"
# The institutions in the user's area (`where`), grouped by institution or by district (`group`): no
# count(DISTINCT ...) over every record.
_GROUPED = """
    SELECT {group} AS key, count(*) AS active, max(s.last_entry) AS last_entry, sum(s.held)::bigint AS held,
      sum(s.entered)::bigint AS entered, sum(s.late)::bigint AS late, sum(s.total)::bigint AS total
    FROM ({source}) AS s
    JOIN orgs_institution i ON i.id = s.id
    WHERE i.kind = ANY(%(kinds)s) AND i.is_active {where}
    GROUP BY 1
"""
_KEPT = "SELECT institution_id AS id, last_entry, held, entered, late, total FROM trackchild_sync_uploadfigures"
_REFRESH = """
    INSERT INTO trackchild_sync_uploadfigures
      (institution_id, last_entry, held, entered, late, total, as_of, late_after_days, refreshed_at)
    SELECT s.id, s.last_entry, s.held, s.entered, s.late, s.total, %(as_of)s, %(late)s, now()
    FROM ({source}) AS s
    JOIN orgs_institution i ON i.id = s.id AND i.kind = ANY(%(kinds)s)
"""
_GROUPS = {"institution": "i.id", "district": "i.district_id"}
_SUMMED = ("active", "held", "entered", "late", "total")


def _by_institution(kind: str, *, district_id: int | None) -> str:
    """The statement summing one kind's records by institution (only the module's own SQL goes in)."""
    spec = _KINDS[kind]
    records = _OF_DISTRICT.format(owner=spec["owner"]) if district_id else ""
    return _BY_INSTITUTION.format(records=records, **spec)


def _params(*, as_of: date, late: int, district_id: int | None, kinds) -> dict:
    return {"as_of": as_of, "tz": settings.TIME_ZONE, "late": late, "district": district_id, "kinds": list(kinds)}


def _figures(*, group: str, district_id: int | None, as_of: date, late: int, kept: bool = False) -> dict[int, dict]:
    """key (institution or district id) -> figures, both kinds of record summed: counted from the records, or read
    from the figures kept by the last refresh (`kept`; they hold only the refresh's day and lateness)."""
    where = "AND i.district_id = %(district)s" if district_id else ""
    if kept:
        sources = [(_KEPT, list(_KINDS))]
    else:
        sources = [(_by_institution(kind, district_id=district_id), [kind]) for kind in _KINDS]
    figures: dict[int, dict] = {}
    with connection.cursor() as cursor:
        for source, kinds in sources:
            sql = _GROUPED.format(group=_GROUPS[group], source=source, where=where)
            cursor.execute(sql, _params(as_of=as_of, late=late, district_id=district_id, kinds=kinds))
            columns = [column.name for column in cursor.description]
            for values in cursor.fetchall():
                row = dict(zip(columns, values, strict=True))
                line = figures.setdefault(row["key"], dict.fromkeys(_SUMMED, 0))
                for name in _SUMMED:
                    line[name] += row[name]
                if row["last_entry"] and (line.get("last_entry") is None or row["last_entry"] > line["last_entry"]):
                    line["last_entry"] = row["last_entry"]
    return figures


def figures_refresh(*, as_of: date | None = None, late_after_days: int = LATE_AFTER_DAYS) -> int:
    """Count every CCI's and police station's records again into `UploadFigures` (one transaction: a reader sees
    the old figures or the new, never a mix). Returns the number of institutions with records."""
    as_of = as_of or timezone.localdate()
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM trackchild_sync_uploadfigures")
        for kind in _KINDS:
            cursor.execute(
                _REFRESH.format(source=_by_institution(kind, district_id=None)),
                _params(as_of=as_of, late=late_after_days, district_id=None, kinds=[kind]),
            )
            written += cursor.rowcount
    return written


def figures_refreshed_at(*, as_of: date | None = None, late_after_days: int = LATE_AFTER_DAYS):
    """When the kept figures were counted, if they count this day with this lateness; else None (then they are
    not used: a day's refresh has not run yet, or nothing has ever been entered)."""
    as_of = as_of or timezone.localdate()
    kept = UploadFigures.objects.filter(as_of=as_of, late_after_days=late_after_days).order_by().first()
    return kept.refreshed_at if kept else None


def institutions_in_scope(user, district_id: int | None):
    area = access.figures_district(user, district_id)
    qs = Institution.objects.filter(kind__in=[Institution.Kind.CCI, Institution.Kind.POLICE], is_active=True)
    if area is False:
        return qs.none()
    return qs.filter(district_id=area) if area else qs


def _district_names(ids) -> dict[int, str]:
    return {district.pk: str(district) for district in District.objects.filter(pk__in=[i for i in ids if i])}


def upload_compliance(
    *, user, district_id: int | None = None, as_of: date | None = None, late_after_days: int = LATE_AFTER_DAYS
) -> list[dict]:
    """One row per CCI and police station in the user's area (see the module's docstring), ranked in its district."""
    as_of = as_of or timezone.localdate()
    institutions = list(institutions_in_scope(user, district_id).values("pk", "name", "kind", "district_id"))
    area = access.figures_district(user, district_id)
    figures = _figures(group="institution", district_id=area or None, as_of=as_of, late=late_after_days)
    names = _district_names({institution["district_id"] for institution in institutions})
    rows = []
    for institution in institutions:
        found = figures.get(institution["pk"], {})
        total = found.get("total", 0)
        rows.append(
            {
                "institution_id": institution["pk"],
                "name": institution["name"],
                "kind": institution["kind"],
                "district_id": institution["district_id"],
                "district": names.get(institution["district_id"], ""),
                "last_entry": found.get("last_entry"),
                "held": found.get("held", 0),
                "entered": found.get("entered", 0),
                "late": found.get("late", 0),
                "late_share": found.get("late", 0) / total if total else None,
            }
        )
    _rank(rows)
    return rows


def district_summary(*, user, as_of: date | None = None, late_after_days: int = LATE_AFTER_DAYS) -> list[dict]:
    """The state's view, summed by district in SQL: one line per district with institutions, never entered, held,
    entered, late, last entry (as `by_district` of the rows). From the figures kept by the last refresh when they
    count this day (see `figures_refreshed_at`, which the page shows), else counted from the records."""
    area = access.figures_district(user)
    if area is False:
        return []
    as_of = as_of or timezone.localdate()
    counts = dict(institutions_in_scope(user, None).order_by().values_list("district_id").annotate(n=Count("pk")))
    kept = figures_refreshed_at(as_of=as_of, late_after_days=late_after_days) is not None
    figures = _figures(group="district", district_id=area or None, as_of=as_of, late=late_after_days, kept=kept)
    names = _district_names(counts)
    lines = []
    for district_id, institutions in counts.items():
        found = figures.get(district_id, {})
        lines.append(
            {
                "district_id": district_id,
                "district": names.get(district_id, ""),
                "institutions": institutions,
                "silent": institutions - found.get("active", 0),
                "held": found.get("held", 0),
                "entered": found.get("entered", 0),
                "late": found.get("late", 0),
                "last_entry": found.get("last_entry"),
            }
        )
    return sorted(lines, key=lambda line: line["district"])


def _rank(rows: list[dict]) -> None:
    """1 = the best of its district: the smallest share of late entries, then the most recent entry; an institution
    that never entered anything comes last."""
    by_district: dict[int | None, list[dict]] = {}
    for row in rows:
        by_district.setdefault(row["district_id"], []).append(row)
    for members in by_district.values():
        members.sort(
            key=lambda row: (
                row["last_entry"] is None,
                row["late_share"] if row["late_share"] is not None else 1.0,
                -(row["last_entry"].timestamp() if row["last_entry"] else 0),
                row["name"],
            )
        )
        for rank, row in enumerate(members, start=1):
            row["rank"] = rank
    rows.sort(key=lambda row: (row["district"], row["rank"]))


def by_district(rows: list[dict]) -> list[dict]:
    """The state's view: one line per district (institutions, never entered, held, entered, late, last entry)."""
    summary: dict[int | None, dict] = {}
    for row in rows:
        line = summary.setdefault(
            row["district_id"],
            {
                "district_id": row["district_id"],
                "district": row["district"],
                "institutions": 0,
                "silent": 0,
                "held": 0,
                "entered": 0,
                "late": 0,
                "last_entry": None,
            },
        )
        line["institutions"] += 1
        line["silent"] += row["last_entry"] is None
        for name in ("held", "entered", "late"):
            line[name] += row[name]
        if row["last_entry"] and (line["last_entry"] is None or row["last_entry"] > line["last_entry"]):
            line["last_entry"] = row["last_entry"]
    return sorted(summary.values(), key=lambda line: line["district"])
