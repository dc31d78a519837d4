"""The portal home and the report pages: aggregate figures only, every count through the disclosure rule."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET

from clts.accounts import access
from clts.reports import crosstab, pages, queries
from clts.reports.crosstab import CrosstabForm
from clts.reports.filters import FilterForm

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
    form = FilterForm(request.GET or None, districts=queries.report_districts())
    filters = form.filters()
    district = queries.report_district(filters.district)
    context = pages.dashboard_context(user=request.user, filters=filters, district=district)
    sort = request.GET.get("sort", "label")
    if context.get("districts"):
        context = {**context, "districts": pages.sorted_rows(context["districts"], sort)}
    return render(
        request,
        "reports/dashboard.html",
        {**context, "form": form, "filters": filters, "district": district, "scope_district": None, "sort": sort},
    )


@login_required
@require_GET
def district_dashboard(request, district_id: int):
    """One district by block, officer and CCI. Any district of the state may be opened (figures are aggregates);
    a reader from elsewhere sees its small counts hidden."""
    access.require(request.user, "dashboard.view")
    district = queries.report_district_or_404(district_id)
    form = FilterForm(request.GET or None, districts=queries.report_districts(), with_district=False)
    filters = form.filters()
    context = pages.dashboard_context(user=request.user, filters=filters, district=district, units=True)
    return render(
        request,
        "reports/dashboard.html",
        {**context, "form": form, "filters": filters, "district": district, "scope_district": district},
    )


def _crosstab(request):
    form = CrosstabForm(request.GET or None, districts=queries.report_districts())
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
