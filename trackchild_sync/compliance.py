"""Upload compliance: for every CCI and police station, when it last entered data, how many children it holds
against how many TrackChild has accepted, how many entries were late, and its rank in the district.

Counts of records, never a child: the figures are aggregates, read within the user's area (a district's own
institutions; the state all). `upload_compliance` is what the pages and the dashboards (issue 15) call.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from clts.accounts.roles import Role
from clts.geo.models import District
from clts.orgs.models import Institution

LATE_AFTER_DAYS = 7  # a CLTS default for "entered late", not a statutory time: change it here or per call


# One statement per kind of record: the records summed by institution first (one pass over the records, the version
# TrackChild accepted joined once, never a subquery a row), then the institutions in the user's area (`@WHERE`)
# grouped by institution or by district (`@GROUP`): no count(DISTINCT ...) over every record, and a district's
# page reads only its institutions' records (`@RECORDS`).
_FIGURES = {
    "cci": """
        SELECT @GROUP AS key, count(*) AS active, max(s.last_entry) AS last_entry, sum(s.held)::bigint AS held,
          sum(s.entered)::bigint AS entered, sum(s.late)::bigint AS late, sum(s.total)::bigint AS total
        FROM (
          SELECT r.institution_id AS id, max(r.recorded_at) AS last_entry,
            count(*) FILTER (WHERE r.admitted_on <= %(as_of)s AND (r.left_on IS NULL OR r.left_on > %(as_of)s))
              AS held,
            count(*) FILTER (WHERE r.admitted_on <= %(as_of)s AND (r.left_on IS NULL OR r.left_on > %(as_of)s)
                               AND p.target_id IS NOT NULL) AS entered,
            count(*) FILTER (WHERE (r.recorded_at AT TIME ZONE %(tz)s)::date > r.admitted_on + %(late)s) AS late,
            count(*) AS total
          FROM trackchild_sync_residence r
          LEFT JOIN trackchild_sync_pushed p ON p.kind = 'residents' AND p.target_id = r.id
          WHERE true @RECORDS
          GROUP BY r.institution_id
        ) AS s
        JOIN orgs_institution i ON i.id = s.id
        WHERE i.kind = 'cci' AND i.is_active @WHERE
        GROUP BY 1
    """,
    "police": """
        SELECT @GROUP AS key, count(*) AS active, max(s.last_entry) AS last_entry, sum(s.held)::bigint AS held,
          sum(s.entered)::bigint AS entered, sum(s.late)::bigint AS late, sum(s.total)::bigint AS total
        FROM (
          SELECT r.station_id AS id, max(r.recorded_at) AS last_entry,
            count(*) FILTER (WHERE r.status = 'open') AS held,
            count(*) FILTER (WHERE r.status = 'open' AND p.target_id IS NOT NULL) AS entered,
            count(*) FILTER (WHERE (r.recorded_at AT TIME ZONE %(tz)s)::date > r.reported_on + %(late)s) AS late,
            count(*) AS total
          FROM trackchild_sync_missingreport r
          LEFT JOIN trackchild_sync_pushed p ON p.kind = 'missing' AND p.target_id = r.id
          WHERE true @RECORDS
          GROUP BY r.station_id
        ) AS s
        JOIN orgs_institution i ON i.id = s.id
        WHERE i.kind = 'police' AND i.is_active @WHERE
        GROUP BY 1
    """,
}
# The records of one district's institutions only (the institution's column of each kind of record).
_RECORDS_OF_DISTRICT = {
    "cci": "AND r.institution_id IN (SELECT id FROM orgs_institution WHERE district_id = %(district)s)",
    "police": "AND r.station_id IN (SELECT id FROM orgs_institution WHERE district_id = %(district)s)",
}
_GROUPS = {"institution": "i.id", "district": "i.district_id"}


def _area(user, district_id: int | None) -> int | None | bool:
    """The district the user's figures are limited to; None for the whole state; False for nothing."""
    if user.is_superuser or user.role in (Role.STATE, Role.ADMIN):
        return district_id
    if not user.district_id or (district_id and district_id != user.district_id):
        return False
    return user.district_id


def _figures(*, group: str, district_id: int | None, as_of: date, late: int) -> dict[int, dict]:
    """key (institution or district id) -> figures, both kinds of record summed."""
    where = "AND i.district_id = %(district)s" if district_id else ""
    params = {"as_of": as_of, "tz": settings.TIME_ZONE, "late": late, "district": district_id}
    figures: dict[int, dict] = {}
    with connection.cursor() as cursor:
        for kind, template in _FIGURES.items():
            # Only the module's own SQL goes in: the group and the filters are chosen from the constants above.
            records = _RECORDS_OF_DISTRICT[kind] if district_id else ""
            sql = template.replace("@GROUP", _GROUPS[group]).replace("@WHERE", where).replace("@RECORDS", records)
            cursor.execute(sql, params)
            columns = [column.name for column in cursor.description]
            for values in cursor.fetchall():
                row = dict(zip(columns, values, strict=True))
                line = figures.setdefault(row["key"], {"active": 0, "held": 0, "entered": 0, "late": 0, "total": 0})
                for name in ("active", "held", "entered", "late", "total"):
                    line[name] += row[name]
                if row["last_entry"] and (line.get("last_entry") is None or row["last_entry"] > line["last_entry"]):
                    line["last_entry"] = row["last_entry"]
    return figures


def institutions_in_scope(user, district_id: int | None):
    area = _area(user, district_id)
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
    area = _area(user, district_id)
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
    """The state's view, counted by district in SQL (no row per institution is read): one line per district
    with institutions, never entered, held, entered, late, last entry (as `by_district` of the rows)."""
    area = _area(user, None)
    if area is False:
        return []
    as_of = as_of or timezone.localdate()
    counts = dict(institutions_in_scope(user, None).order_by().values_list("district_id").annotate(n=Count("pk")))
    figures = _figures(group="district", district_id=area or None, as_of=as_of, late=late_after_days)
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
