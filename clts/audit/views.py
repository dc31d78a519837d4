"""The audit trail page for administrators: changes (from triggers) and reads (our access log)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from clts.accounts import access
from clts.audit import queries
from clts.audit.forms import AuditFilterForm


@login_required
@require_GET
def audit_log(request):
    access.require(request.user, "audit.view")
    form = AuditFilterForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "user_id": data["user"],
            "object_type": data["object_type"],
            "object_id": data["object_id"],
            "since": data["since"],
            "until": data["until"],
        }
    which = "changes" if request.GET.get("show") == "changes" else "reads"
    rows = queries.change_search(**filters) if which == "changes" else queries.access_log_search(**filters)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"form": form, "page": page, "which": which})
