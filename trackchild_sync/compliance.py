"""Upload compliance: for every CCI and police station, when it last entered data, how many children it holds
against how many TrackChild has accepted, how many entries were late, and its rank in the district.

Counts of records, never a child: the figures are aggregates, read within the user's area (a district's own
institutions; the state all). `upload_compliance` is what the pages and the dashboards (issue 15) call.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.utils import timezone

from clts.accounts.roles import Role
from clts.orgs.models import Institution
from trackchild_sync.models import MissingReport, Pushed, Residence

LATE_AFTER_DAYS = 7  # a CLTS default for "entered late", not a statutory time: change it here or per call


def _pushed(kind: str):
    return Exists(Pushed.objects.filter(kind=kind, target_id=OuterRef("pk")))


def institutions_in_scope(user, district_id: int | None):
    qs = Institution.objects.filter(kind__in=[Institution.Kind.CCI, Institution.Kind.POLICE], is_active=True)
    if not (user.is_superuser or user.role in (Role.STATE, Role.ADMIN)):
        if not user.district_id:
            return qs.none()
        qs = qs.filter(district_id=user.district_id)
    if district_id:
        qs = qs.filter(district_id=district_id)
    return qs.select_related("district")


def upload_compliance(
    *, user, district_id: int | None = None, as_of: date | None = None, late_after_days: int = LATE_AFTER_DAYS
) -> list[dict]:
    """One row per CCI and police station in the user's area (see the module's docstring), ranked in its district."""
    as_of = as_of or timezone.localdate()
    late = timedelta(days=late_after_days)
    institutions = list(institutions_in_scope(user, district_id))
    ids = [institution.pk for institution in institutions]
    in_home = Q(admitted_on__lte=as_of) & (Q(left_on__isnull=True) | Q(left_on__gt=as_of))
    figures: dict[int, dict] = {}
    residences = Residence.objects.filter(institution_id__in=ids).annotate(is_pushed=_pushed("residents"))
    for row in residences.values("institution_id").annotate(
        last_entry=Max("recorded_at"),
        held=Count("pk", filter=in_home),
        entered=Count("pk", filter=in_home & Q(is_pushed=True)),
        late=Count("pk", filter=Q(recorded_at__date__gt=F("admitted_on") + late)),
        total=Count("pk"),
    ):
        figures[row["institution_id"]] = row
    reports = MissingReport.objects.filter(station_id__in=ids).annotate(is_pushed=_pushed("missing"))
    for row in reports.values("station_id").annotate(
        last_entry=Max("recorded_at"),
        held=Count("pk", filter=Q(status="open")),
        entered=Count("pk", filter=Q(status="open", is_pushed=True)),
        late=Count("pk", filter=Q(recorded_at__date__gt=F("reported_on") + late)),
        total=Count("pk"),
    ):
        figures[row["station_id"]] = row
    rows = []
    for institution in institutions:
        found = figures.get(institution.pk, {})
        total = found.get("total", 0)
        rows.append(
            {
                "institution_id": institution.pk,
                "name": institution.name,
                "kind": institution.kind,
                "district_id": institution.district_id,
                "district": str(institution.district) if institution.district else "",
                "last_entry": found.get("last_entry"),
                "held": found.get("held", 0),
                "entered": found.get("entered", 0),
                "late": found.get("late", 0),
                "late_share": found.get("late", 0) / total if total else None,
            }
        )
    _rank(rows)
    return rows


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
