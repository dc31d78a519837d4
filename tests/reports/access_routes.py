"""Access-matrix routes of the report pages: aggregates for every role with a dashboard, any district of the state
(a reader from elsewhere sees that district's small counts hidden), 403 for everyone else."""

from datetime import date

from tests.access_matrix import Route

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
