"""Pages of trackchild_sync: the CWC member's orders on a case, the CCI register, missing and found children."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from clts.accounts import access
from clts.accounts.roles import Role
from clts.core.forms import add_service_errors
from rescue import queries as rescue_queries
from trackchild_sync import queries, services
from trackchild_sync.choices import Movement
from trackchild_sync.forms import AdmissionForm, CwcOrderForm, MovementForm, SittingForm


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
            # Nothing was recorded (one transaction): the page shows the case as it is, not as the refused
            # attempt left the object in memory (its production, and so the late-production notice).
            case = rescue_queries.case_for_page(user=request.user, case_number=case_number, write=True)
        else:
            messages.success(request, _("The Committee's proceedings are recorded."))
            return redirect("rescue:case-detail", case_number=case.case_number)
    context = {"case": case, "form": form, "production_overdue": queries.production_overdue(case)}
    return render(request, "trackchild_sync/cwc_order_form.html", context)


# --- the CCI register -------------------------------------------------------------------------------------------


@login_required
@require_GET
def home_list(request):
    access.require(request.user, "register.view")
    homes = queries.homes_with_occupancy(user=request.user)
    if len(homes) == 1 and request.user.role == Role.CCI:
        return redirect("trackchild:home-register", pk=homes[0].pk)
    return render(request, "trackchild_sync/home_list.html", {"homes": homes})


@login_required
@require_GET
def home_register(request, pk: int):
    access.require(request.user, "register.view")
    home = queries.home_for_page(user=request.user, pk=pk)
    context = {
        "home": home,
        "residents": queries.current_residents(user=request.user, home=home),
        "leavers": queries.recent_leavers(user=request.user, home=home),
        "occupancy": queries.recent_occupancy(home=home),
        "can_admit": access.can(request.user, "register.admit"),
    }
    return render(request, "trackchild_sync/home_register.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def resident_admit(request, pk: int):
    access.require(request.user, "register.admit")
    home = queries.home_for_page(user=request.user, pk=pk)
    form = AdmissionForm(request.POST or None, request.FILES or None, home=home, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        case = data.pop("case_number")
        try:
            residence = services.residence_admit(actor=request.user, institution=home, case=case, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The child is admitted to the register."))
            return redirect("trackchild:resident-detail", pk=residence.pk)
    return render(request, "trackchild_sync/resident_admit.html", {"home": home, "form": form})


@login_required
@require_GET
def resident_detail(request, pk: int):
    access.require(request.user, "register.view")
    residence = queries.residence_for_page(user=request.user, pk=pk)
    can_update = (
        residence.is_open
        and access.can(request.user, "register.update")
        and access.is_writable(request.user, residence)
    )
    context = {
        "residence": residence,
        "events": queries.register_events(residence=residence),
        "form": MovementForm(home=residence.institution) if can_update else None,
    }
    return render(request, "trackchild_sync/resident_detail.html", context)


@login_required
@require_http_methods(["POST"])
def resident_move(request, pk: int):
    access.require(request.user, "register.update")
    residence = queries.residence_for_page(user=request.user, pk=pk, write=True)
    form = MovementForm(request.POST, home=residence.institution)
    if form.is_valid():
        data = form.cleaned_data
        common = {"actor": request.user, "residence": residence, "on": data["on"], "notes": data["notes"]}
        try:
            match data["movement"]:
                case Movement.LEAVE:
                    services.residence_leave(**common)
                case Movement.RETURN:
                    services.residence_return(**common)
                case Movement.DISCHARGE:
                    services.residence_discharge(**common, reason=data["reason"])
                case Movement.TRANSFER:
                    residence = services.residence_transfer(
                        **common,
                        to=data["to"],
                        ordered_on=data["ordered_on"],
                        order_number=data["order_number"],
                        exception_order=data["exception_order"],
                    )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The register is updated."))
            return redirect("trackchild:resident-detail", pk=residence.pk)
    context = {"residence": residence, "events": queries.register_events(residence=residence), "form": form}
    return render(request, "trackchild_sync/resident_detail.html", context)


# --- the Committee's sittings -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def sitting_list(request):
    access.require(request.user, "sitting.record")
    form = SittingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cwc_sitting_record(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The sitting is recorded."))
            return redirect("trackchild:sitting-list")
    context = {"form": form, "sittings": queries.sittings_of(user=request.user)}
    return render(request, "trackchild_sync/sitting_list.html", context)
