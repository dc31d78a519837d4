"""The portal home and the report pages: aggregate figures only, every count through the disclosure rule."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from clts.accounts import access
from clts.reports import pages, queries
from clts.reports.filters import FilterForm


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
