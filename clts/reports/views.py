"""The portal home and the report pages: aggregate figures only, every count through the disclosure rule."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_POST

from clts.accounts import access
from clts.audit.downloads import protected_file_response
from clts.core.forms import add_service_errors
from clts.reports import crosstab, exports, pages, queries, services
from clts.reports.crosstab import CrosstabForm
from clts.reports.filters import FilterForm
from clts.reports.forms import ExportForm, MonthlyReportForm
from clts.reports.models import JobStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DISCLOSURE_NOTE = gettext_noop(
    "Counts from 1 to 4 outside your own jurisdiction are shown as <5; a count marked * is hidden because it "
    "would give a small count away."
)


@login_required
@require_GET
def home(request):
    access.require(request.user, "portal.view")
    figures = queries.home_figures(user=request.user) if access.can(request.user, "dashboard.view") else None
    return render(request, "portal/home.html", {"figures": figures})


@login_required
@require_GET
def state_dashboard(request):
    """The state's figures for every reader with a dashboard; outside their own jurisdiction small counts hide."""
    access.require(request.user, "dashboard.view")
    districts = list(queries.report_districts_as_of())
    form = FilterForm(request.GET or None, districts=districts)
    filters = form.filters()
    district = next((d for d in districts if d.pk == filters.district), None)
    as_of = districts[0].figures_as_of if districts else None
    context = pages.dashboard_context(user=request.user, filters=filters, district=district, as_of=as_of)
    sort = request.GET.get("sort", "label")
    if context.get("districts"):
        # One reverse for the 38 links of the table (each reverse costs as much as a row of figures).
        link = reverse("reports:district", kwargs={"district_id": 0}).replace("/0/", "/{}/")
        rows = [{**row, "url": link.format(row["pk"])} for row in pages.sorted_rows(context["districts"], sort)]
        context = {**context, "districts": rows}
    return render(
        request,
        "reports/dashboard.html",
        {
            **context,
            "form": form,
            "filters": filters,
            "district": district,
            "scope_district": None,
            "sort": sort,
            "query_prefix": urlencode(filters.as_query()) + "&",
            "district_query": urlencode({k: v for k, v in filters.as_query().items() if k != "district"}),
        },
    )


@login_required
@require_GET
def district_dashboard(request, district_id: int):
    """One district by block, officer and CCI. Any district of the state may be opened (figures are aggregates);
    a reader from elsewhere sees its small counts hidden."""
    access.require(request.user, "dashboard.view")
    district = queries.report_district_or_404(district_id)
    form = FilterForm(request.GET or None, districts=[], with_district=False)
    filters = form.filters()
    context = pages.dashboard_context(
        user=request.user, filters=filters, district=district, units=True, as_of=district.figures_as_of
    )
    return render(
        request,
        "reports/dashboard.html",
        {**context, "form": form, "filters": filters, "district": district, "scope_district": district},
    )


def _crosstab(request):
    form = CrosstabForm(request.GET or None, districts=list(queries.report_districts()))
    if not request.GET or not form.is_valid():
        return form, None
    filters = form.filters()
    table = crosstab.build(
        user=request.user, filters=filters, rows=form.cleaned_data["rows"], columns=form.cleaned_data["columns"]
    )
    return form, table


@login_required
@require_GET
def crosstab_page(request):
    """Rows and columns among the aggregate dimensions: the table, a chart of its row totals and an XLSX."""
    access.require(request.user, "dashboard.view")
    form, table = _crosstab(request)
    context = {"form": form, "table": table}
    if table is not None:
        context |= {"lines": crosstab.as_rows(table), "chart": pages.crosstab_chart(table), "query": request.GET}
    return render(request, "reports/crosstab.html", context)


@login_required
@require_GET
def crosstab_xlsx(request):
    access.require(request.user, "dashboard.view")
    form, table = _crosstab(request)
    if table is None:
        return redirect("reports:crosstab")
    content = crosstab.xlsx(table, title=_("Cross-tabulation"), note=_(DISCLOSURE_NOTE))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="crosstab.xlsx"'
    return response


@login_required
@require_GET
def monthly_list(request):
    """The monthly reports within the user's scope, with the progress of those being built and a form to ask
    for another month."""
    access.require(request.user, "dashboard.view")
    reports = list(queries.monthly_reports(user=request.user))
    pending = any(r.status in (JobStatus.QUEUED, JobStatus.BUILDING) for r in reports)
    form = MonthlyReportForm(user=request.user)
    return render(request, "reports/monthly_list.html", {"reports": reports, "pending": pending, "form": form})


@login_required
@require_POST
def monthly_request(request):
    access.require(request.user, "dashboard.view")
    form = MonthlyReportForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.monthly_report_request(
                user=request.user,
                district=form.cleaned_data["district"],
                month=form.cleaned_data["month"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        reports = list(queries.monthly_reports(user=request.user))
        return render(request, "reports/monthly_list.html", {"reports": reports, "form": form})
    messages.success(request, _("The report is being built; it appears in the list when it is ready."))
    return redirect("reports:monthly-list")


@login_required
@require_GET
def monthly_download(request, pk: int):
    """A ready report, for a reader within its scope (404 otherwise, as if it did not exist)."""
    access.require(request.user, "dashboard.view")
    report = queries.monthly_report_or_404(user=request.user, pk=pk)
    if report.status != JobStatus.READY:
        raise Http404
    scope = f"district-{report.district_id}" if report.district_id else "state"
    return protected_file_response(
        request=request,
        file=report.file,
        obj=report,
        label=f"report {report.pk}",
        filename_stem=f"clts-{scope}-{report.month:%Y-%m}-{report.language}",
    )


def _export_lists(user) -> list:
    """The lists the user may export; a user who may export none has no export page at all (403)."""
    lists = exports.allowed_lists(user)
    if not lists:
        raise PermissionDenied
    return lists


def _export_page(request, form):
    """The export page: the choice of a list, and the user's background exports with their state."""
    return render(request, "reports/exports.html", {"form": form, "jobs": queries.export_jobs(user=request.user)})


@login_required
@require_GET
def export_page(request):
    return _export_page(request, ExportForm(lists=_export_lists(request.user)))


@login_required
@require_POST
def export_start(request):
    form = ExportForm(request.POST, lists=_export_lists(request.user))
    if not form.is_valid():
        return _export_page(request, form)
    kind, file_format = form.cleaned_data["kind"], form.cleaned_data["file_format"]
    result = services.export_start(
        user=request.user, kind=kind, file_format=file_format, params=form.params(), request=request
    )
    if isinstance(result, tuple):
        content, _rows = result
        types = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX}
        response = HttpResponse(content, content_type=types[file_format])
        response["Content-Disposition"] = f'attachment; filename="{exports.file_name(kind, file_format)}"'
        return response
    messages.success(request, _("A large export: it is being built and appears below when it is ready."))
    return redirect("reports:exports")


@login_required
@require_GET
def export_download(request, pk: int):
    """A finished background export, for the user who asked for it only (404 for anyone else)."""
    job = queries.export_job_or_404(user=request.user, pk=pk)
    if job.status != JobStatus.READY:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=exports.file_name(job.kind, job.file_format))
