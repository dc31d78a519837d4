"""Pages of the alerts app: My work (the first page after sign-in), acknowledging an item, compliance, overdue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from clts.accounts import access
from clts.accounts.roles import Role
from clts.alerts import queries, services
from clts.alerts.forms import AcknowledgeForm, PeriodForm
from clts.alerts.models import DeadlineRule
from clts.core import keyset
from clts.core.forms import add_service_errors


@login_required
@require_GET
def my_work(request):
    access.require(request.user, "mywork.view")
    page = queries.my_work(user=request.user, after=keyset.parse_cursor(request.GET.get("after")))
    return render(
        request,
        "alerts/my_work.html",
        {
            "items": page["items"],
            "next_after": keyset.format_cursor(*page["next_after"]) if page["next_after"] else "",
            "first_page": not request.GET.get("after"),
            "last_scan_finished": queries.last_scan_finished(),
            "form": AcknowledgeForm(),
        },
    )


@login_required
@require_POST
def alert_acknowledge(request, pk: int):
    access.require(request.user, "alert.acknowledge")
    alert = access.get_visible_or_404(queries.work_list(request.user), request.user, pk=pk)
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            services.alert_acknowledge(alert=alert, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        messages.success(request, _("Noted. The item stays on your list until the work is done."))
    return redirect("alerts:my-work")


def _chart_data(trend: list[dict]) -> dict:
    return {
        "labels": [date_format(row["month"], "M Y") for row in trend],
        "rates": [row["rate"] for row in trend],
        "rate_label": _("Met on time (%)"),
    }


def _default_by(user) -> str:
    if user.role == Role.BLOCK:
        return "officer"
    return "block" if user.role == Role.DISTRICT else "district"


@login_required
@require_GET
def compliance(request):
    access.require(request.user, "compliance.view")
    rules = list(DeadlineRule.objects.filter(is_active=True))
    default_by = _default_by(request.user)
    data = request.GET or PeriodForm.initial_data(default_by=default_by)
    form = PeriodForm(data, rules=rules, default_by=default_by)
    context = {"form": form}
    if form.is_valid():
        period = {"month_from": form.cleaned_data["month_from"], "month_to": form.cleaned_data["month_to"]}
        rule = form.cleaned_data["rule"] or None
        trend = queries.compliance_trend(user=request.user, rule=rule, **period)
        context |= {
            "table": queries.compliance_table(user=request.user, by=form.cleaned_data["by"], **period),
            "by": form.cleaned_data["by"],
            "chart_rule": next((r for r in rules if r.code == rule), None),
            "chart_data": _chart_data(trend),
            "trend": trend,
            **period,
        }
    return render(request, "alerts/compliance.html", context)


@login_required
@require_GET
def overdue_list(request):
    access.require(request.user, "compliance.view")
    page = queries.overdue_list(user=request.user, after=keyset.parse_cursor(request.GET.get("after")))
    return render(
        request,
        "alerts/overdue_list.html",
        {
            "rows": page["rows"],
            "next_after": keyset.format_cursor(*page["next_after"]) if page["next_after"] else "",
        },
    )
