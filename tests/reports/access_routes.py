"""Access-matrix routes of the report pages: aggregates for every role with a dashboard, any district of the state
(a reader from elsewhere sees that district's small counts hidden), 403 for everyone else."""

from datetime import date

from tests.access_matrix import ALL, Route

DASHBOARD = frozenset({"state", "district", "block", "admin", "outsider", "block_other", "staff", "shared"})


def _gaya(world):
    return {"district_id": world.places.gaya.pk}


ROUTES = [
    Route("reports:dashboard", allowed=DASHBOARD),
    Route("reports:district", allowed=DASHBOARD, kwargs=_gaya),
]

ROUTES += [
    Route("reports:crosstab", allowed=DASHBOARD),
    Route("reports:crosstab-xlsx", allowed=DASHBOARD, ok=(302,)),
]

GAYA_OFFICES = frozenset({"state", "district", "block", "block_other", "admin"})


def build(world):
    from django.core.files.base import ContentFile

    from clts.reports.models import JobStatus, ReportFile
    from tests.factories import make_home_state

    make_home_state()
    world.report = ReportFile(district=world.places.gaya, month=date(2026, 1, 1), language="en", status=JobStatus.READY)
    world.report.file.save("matrix-test.pdf", ContentFile(b"%PDF-1.4 matrix test"), save=True)
    build_export(world)


def _month_asked(world, user):
    from clts.reports.models import ReportFile

    assert ReportFile.objects.filter(district=world.places.gaya, month=date(2025, 12, 1), language="hi").exists()


ROUTES += [
    Route("reports:monthly-list", allowed=DASHBOARD),
    Route(
        "reports:monthly-request",
        method="post",
        allowed=GAYA_OFFICES,
        refused=frozenset({"outsider", "staff", "shared"}),
        data=lambda world: {"month": "2025-12", "district": world.places.gaya.pk, "language": "hi"},
        ok=(302,),
        effect=_month_asked,
        audited=False,
    ),
    Route(
        "reports:monthly-download",
        allowed=GAYA_OFFICES,
        hidden=frozenset({"outsider", "staff", "shared"}),
        kwargs=lambda world: {"pk": world.report.pk},
    ),
]

# A police station and a DCPU export no list (none of exports.LISTS' actions is theirs): 403 like a field worker.
LISTS = ALL - {"field", "field_other", "police", "police_other", "dcpu", "dcpu_other"}
CASE_LISTS = LISTS - {"nodal", "nodal_other"}


def build_export(world):
    from django.core.files.base import ContentFile

    from clts.reports.models import ExportJob, JobStatus

    world.export = ExportJob(user=world.cast.state, kind="cases", file_format="csv", status=JobStatus.READY, rows=1)
    world.export.file.save("matrix-export.csv", ContentFile(b"case number\n"), save=True)


def _exported(world, user):
    from clts.audit.models import AccessLog
    from rescue.models import Case

    visible = set(Case.objects.visible_to(user).values_list("pk", flat=True))
    logged = set(
        AccessLog.objects.filter(user=user, action="export", object_type="rescue.case").values_list(
            "object_id", flat=True
        )
    )
    assert logged == {str(pk) for pk in visible}


ROUTES += [
    Route("reports:exports", allowed=LISTS),
    Route(
        "reports:export-start",
        method="post",
        allowed=CASE_LISTS,
        refused=frozenset({"nodal", "nodal_other"}),
        data=lambda world: {"kind": "cases", "file_format": "csv"},
        effect=_exported,
        audited=False,
    ),
    Route(
        "reports:export-download",
        allowed=frozenset({"state"}),
        hidden=ALL - {"state"},
        kwargs=lambda world: {"pk": world.export.pk},
    ),
]
