"""Pages of trackchild_sync: the CWC member's orders on a case, the CCI register, missing and found children."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from clts.accounts import access
from clts.accounts.roles import Role
from clts.audit.downloads import protected_file_response
from clts.audit.services import access_log_record
from clts.core.forms import add_service_errors, submit
from clts.core.pdf import render_pdf
from rescue import queries as rescue_queries
from trackchild_sync import compliance, queries, repatriation, services
from trackchild_sync.choices import Movement
from trackchild_sync.exchange import files as exchange_files
from trackchild_sync.exchange import layout as exchange_layout
from trackchild_sync.forms import (
    AdmissionForm,
    CwcOrderForm,
    DecisionForm,
    ExtractForm,
    FoundForm,
    MissingForm,
    MovementForm,
    SittingForm,
)


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

    def admit(data):
        data = dict(data)
        return services.residence_admit(actor=request.user, institution=home, case=data.pop("case_number"), **data)

    if submitted := submit(form, admit):
        messages.success(request, _("The child is admitted to the register."))
        return redirect("trackchild:resident-detail", pk=submitted.result.pk)
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
    if submit(form, lambda data: services.cwc_sitting_record(actor=request.user, **data)):
        messages.success(request, _("The sitting is recorded."))
        return redirect("trackchild:sitting-list")
    context = {"form": form, "sittings": queries.sittings_of(user=request.user)}
    return render(request, "trackchild_sync/sitting_list.html", context)


# --- missing and found children, and the review queue ------------------------------------------------------------


def _children(request, *, action: str, add: str, rows, template: str):
    """The missing-child reports or the found children the user sees, and whether the user may add one."""
    access.require(request.user, action)
    context = {"rows": rows(user=request.user), "can_add": access.can(request.user, add)}
    return render(request, template, context)


def _child_add(request, *, action: str, form_class, service, title: str, done: str, detail: str):
    """Report a missing child or record a found one: the service records it and searches for possible matches."""
    access.require(request.user, action)
    form = form_class(request.POST or None, request.FILES or None, user=request.user)
    if submitted := submit(form, lambda data: service(actor=request.user, **data)):
        record = submitted.result
        messages.success(request, done)
        return redirect(detail, pk=record.pk)
    return render(request, "trackchild_sync/child_form.html", {"form": form, "title": title})


@login_required
@require_GET
def missing_list(request):
    return _children(
        request,
        action="missing.view",
        add="missing.report",
        rows=queries.missing_reports,
        template="trackchild_sync/missing_list.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def missing_create(request):
    return _child_add(
        request,
        action="missing.report",
        form_class=MissingForm,
        service=services.missing_report,
        title=_("Report a missing child"),
        done=_("The report is recorded; possible matches are searched for now."),
        detail="trackchild:missing-detail",
    )


@login_required
@require_GET
def missing_detail(request, pk: int):
    access.require(request.user, "missing.view")
    report = queries.missing_for_page(user=request.user, pk=pk)
    pairs = queries.pairs_of_report(report=report)
    context = {
        "report": report,
        "confirmed": next((pair for pair in pairs if pair.status == "confirmed"), None),
        "pending": sum(pair.status == "pending" for pair in pairs),
    }
    return render(request, "trackchild_sync/missing_detail.html", context)


@login_required
@require_GET
def found_list(request):
    return _children(
        request,
        action="found.view",
        add="found.record",
        rows=queries.found_children,
        template="trackchild_sync/found_list.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def found_create(request):
    return _child_add(
        request,
        action="found.record",
        form_class=FoundForm,
        service=services.found_record,
        title=_("Record a found child"),
        done=_("The found child is recorded; possible matches are searched for now."),
        detail="trackchild:found-detail",
    )


@login_required
@require_GET
def found_detail(request, pk: int):
    access.require(request.user, "found.view")
    found = queries.found_for_page(user=request.user, pk=pk)
    return render(request, "trackchild_sync/found_detail.html", {"found": found})


@login_required
@require_GET
def pair_queue(request):
    access.require(request.user, "match.review")
    return render(request, "trackchild_sync/pair_queue.html", {"pairs": queries.review_queue(user=request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def pair_detail(request, pk: int):
    access.require(request.user, "match.review")
    pair = queries.pair_for_page(user=request.user, pk=pk, write=request.method == "POST")
    form = DecisionForm(request.POST or None)
    decisions = {"confirm": services.pair_confirm, "reject": services.pair_reject}
    if submit(form, lambda data: decisions[data["decision"]](actor=request.user, pair=pair, reason=data["reason"])):
        messages.success(request, _("The decision is recorded."))
        return redirect("trackchild:pair-queue")
    context = {"pair": pair, "rows": queries.compared(pair=pair), "form": form if pair.status == "pending" else None}
    return render(request, "trackchild_sync/pair_detail.html", context)


# Each photo is served through the access of its own record, never from a public media URL.
@login_required
@require_GET
def photo(request, which: str, pk: int):
    obj = queries.photo_owner(user=request.user, which=which, pk=pk)
    label = f"{which}-{obj.pk}"
    return protected_file_response(
        request=request, file=obj.photo, obj=obj, label=label, filename_stem=f"{label}-photo", inline=True
    )


# --- the TrackChild exchange --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def exchange(request):
    """Exports in the documented layout, the import of TrackChild extracts, and the push's log."""
    access.require(request.user, "trackchild.exchange")
    form = ExtractForm(request.POST or None, request.FILES or None)
    bad_lines = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        batch, bad_lines = exchange_files.import_extract(
            user=request.user, kind=data["kind"], content=data["extract"].read(), fmt=data["fmt"]
        )
        if batch is not None:
            messages.success(
                request,
                _("The extract is imported: %(created)s records added, %(updated)s updated.")
                % {"created": batch.created, "updated": batch.updated},
            )
            return redirect("trackchild:exchange")
    context = {
        "form": form,
        "bad_lines": bad_lines,
        "layouts": exchange_layout.LAYOUTS,
        "runs": queries.sync_runs(),
        "attempts": queries.sync_attempts(),
    }
    return render(request, "trackchild_sync/exchange.html", context)


@login_required
@require_GET
def export(request, kind: str, fmt: str):
    access.require(request.user, "trackchild.exchange")
    layout = exchange_layout.LAYOUTS.get(kind)
    if layout is None or fmt not in ("csv", "json"):
        raise Http404
    write = exchange_files.export_csv if fmt == "csv" else exchange_files.export_json
    response = StreamingHttpResponse(
        write(layout, user=request.user), content_type="text/csv" if fmt == "csv" else "application/json"
    )
    filename = f"trackchild-{kind}-{timezone.localdate():%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def upload_compliance(request):
    """Who enters their children and reports, and who is late: a district's institutions, or the state's by district."""
    access.require(request.user, "upload_compliance.view")
    district = queries.district_choice(user=request.user, value=request.GET.get("district", ""))
    districts = queries.districts_for(user=request.user)
    context = {"rows": [], "district": district, "districts": districts}
    if districts and district is None:
        # The whole state: one line per district (each opens to its institutions), summed by district in SQL from
        # the figures of the last refresh (their time is shown), or counted from the records before the day's first.
        context["summary"] = compliance.district_summary(user=request.user)
        context["refreshed_at"] = compliance.figures_refreshed_at()
    else:
        context["rows"] = compliance.upload_compliance(user=request.user, district_id=district.pk if district else None)
    return render(request, "trackchild_sync/upload_compliance.html", context)


# --- the interstate repatriation file ------------------------------------------------------------------------------


@login_required
@require_GET
def repatriation_file(request, case_number: str, fmt: str):
    """The case summary for the home state's CWC, as JSON or as a PDF in English or Hindi; named by case number."""
    access.require(request.user, "repatriation.file")
    case = rescue_queries.case_by_number(user=request.user, case_number=case_number, related=("child", "rescue"))
    if fmt not in ("json", "pdf") or not repatriation.applies_to(case):
        raise Http404
    lang = request.GET.get("lang", "en") if request.GET.get("lang") in ("en", "hi") else "en"
    with translation.override(lang):
        data = repatriation.repatriation_file(case=case, user=request.user)
        if fmt == "json":
            body, content_type = json.dumps(data, ensure_ascii=False, indent=1), "application/json"
        else:
            body = render_pdf(template="trackchild_sync/repatriation_file.html", context={"file": data, "lang": lang})
            content_type = "application/pdf"
    access_log_record(user=request.user, obj=case, action="print", request=request, label=case.case_number)
    response = HttpResponse(body, content_type=content_type)
    suffix = f"-{lang}" if fmt == "pdf" else ""
    response["Content-Disposition"] = f'attachment; filename="repatriation-{case.case_number}{suffix}.{fmt}"'
    return response
