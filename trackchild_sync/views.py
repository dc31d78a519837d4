"""Pages of trackchild_sync: the CWC member's record of production and orders on a case."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clts.accounts import access
from clts.core.forms import add_service_errors
from rescue import queries as rescue_queries
from trackchild_sync import services
from trackchild_sync.forms import CwcOrderForm


@login_required
@require_http_methods(["GET", "POST"])
def cwc_order_create(request, case_number: str):
    access.require(request.user, "case.record_cwc_order")
    case = rescue_queries.case_for_page(user=request.user, case_number=case_number, write=True)
    form = CwcOrderForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.cwc_order_record(case=case, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The Committee's proceedings are recorded."))
            return redirect("rescue:case-detail", case_number=case.case_number)
    return render(request, "trackchild_sync/cwc_order_form.html", {"case": case, "form": form})
