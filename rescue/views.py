"""Pages of the rescue app: registration, the case list and page, and the workflow's forms."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict, ErrorList
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clts.accounts import access
from clts.audit.downloads import protected_file_response
from clts.audit.services import access_log_record
from clts.core.forms import add_service_errors, submit
from clts.core.hooks import hook_functions
from clts.geo import queries as geo_queries
from rescue import candidates, matching, queries, services
from rescue.forms import (
    AcknowledgeForm,
    CaseFilterForm,
    ChildCorrectionForm,
    ChildFormSet,
    CwcAssignForm,
    DistrictTransferForm,
    DuplicateDecisionForm,
    LinkDecisionForm,
    RescueCorrectionForm,
    RescueForm,
    TransferStepForm,
    TransitionForm,
    apply_service_errors,
)
from rescue.models import Status, TransferKind


def _home_or_none():
    try:
        return queries.home_state()
    except ValidationError:
        return None


# --- Registration ---------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def rescue_create(request):
    access.require(request.user, "rescue.register")
    home = queries.home_state()
    data = request.POST if request.method == "POST" else None
    form = RescueForm(data, prefix="rescue", home=home, officer=request.user)
    children = ChildFormSet(data, request.FILES or None, prefix="children", form_kwargs={"home": home})
    # The number of rows is checked before any row is matched: a form with too many is refused at once.
    too_many = data is not None and children.too_many_rows()
    language = data.get("switch_language") if data is not None else None
    if language in dict(settings.LANGUAGES) and not too_many:
        return _switch_language(request, language, form, children)
    forms_valid = data is not None and not too_many and all([form.is_valid(), children.is_valid()])
    if data is not None and not too_many and not forms_valid:
        # Every error in one round: the registration's own checks on what could be read, beside the fields the
        # form itself found nothing wrong with.
        found = services.rescue_check(
            actor=request.user,
            rescue_data=_readable(form),
            children_data=[_readable(child) for child in children.children()],
        )
        if found:
            apply_service_errors(ValidationError(found), form, children, only_clean_fields=True)
    if forms_valid:
        try:
            rescue = services.rescue_register(
                actor=request.user,
                rescue_data=form.service_data(),
                children_data=[child.service_data() for child in children.children()],
            )
        except ValidationError as error:
            apply_service_errors(error, form, children)
        else:
            messages.success(request, _("The rescue is registered. Each child has a case number below."))
            return redirect("rescue:rescue-detail", pk=rescue.pk)
    if too_many:
        # Refused without reading the rows: the rescue's own fields are kept, the children are entered again.
        form.is_valid()
        children = ChildFormSet(prefix="children", form_kwargs={"home": home})
    rows = [(child, _candidates_of(child, request.user)) for child in children.forms]
    context = {
        "form": form,
        "children": children,
        "rows": rows,
        "too_many_rows": too_many,
        "error_summary": _error_summary(form, children) if data is not None else [],
    }
    return render(request, "rescue/rescue_form.html", context)


def _switch_language(request, language: str, form, children):
    """The form's own language buttons: the page comes back in the other language with everything typed so far
    (the header's switch would reload an empty form). Nothing is checked or registered: it was not sent to be.
    The photo, if one was chosen, is chosen again (a browser never refills a file field)."""
    request.user.language = language
    request.user.save(update_fields=["language"])
    translation.activate(language)
    request.LANGUAGE_CODE = language
    for each in (form, *children.forms):
        each._errors = ErrorDict()  # rendered as typed, without validating
    children._errors, children._non_form_errors = [], ErrorList()
    rows = [(child, []) for child in children.forms]
    context = {"form": form, "children": children, "rows": rows, "too_many_rows": False, "error_summary": []}
    return render(request, "rescue/rescue_form.html", context)


def _readable(form) -> dict:
    """What a bound form could read: its cleaned values, without the formset's own flag."""
    cleaned = getattr(form, "cleaned_data", None) or {}
    return {name: value for name, value in cleaned.items() if name != "DELETE"}


def _error_summary(form, children) -> list[dict]:
    """Every error of the registration, in the order of the page, each with the id of its field to link to."""
    summary = []

    def add(each, row: str) -> None:
        for name, errors in each.errors.items():
            field = each.fields.get(name)
            anchor = each[name].auto_id if field is not None else ""
            label = " · ".join(part for part in (row, str(field.label) if field is not None else "") if part)
            summary.extend({"label": label, "message": message, "anchor": anchor} for message in errors)

    add(form, "")
    if not children.is_bound:
        return summary
    # A removed row is not a child: its errors are not the officer's to correct (`errors` validates it first).
    shown = [child for child in children.forms if child.errors is not None and not children._should_delete_form(child)]
    for n, child in enumerate(shown, start=1):
        add(child, _("Child %(n)s") % {"n": n})
    return summary


def _candidates_of(child_form, user) -> list[candidates.Candidate]:
    """Earlier records for a row sent back with errors, so the officer's choice among them is kept."""
    if not child_form.is_bound or not child_form.data.get(child_form.add_prefix("name")):
        return []
    return candidates.candidates_for(particulars=_particulars(child_form.data, child_form.prefix), user=user)


def _particulars(data, prefix: str) -> matching.Particulars:
    def value(name: str) -> str:
        return (data.get(f"{prefix}-{name}") or "").strip()

    age = value("age_years")
    district = value("home_district")
    block = value("home_block")
    aadhaar = value("aadhaar").replace(" ", "")
    return matching.Particulars(
        name=value("name"),
        alias=value("alias"),
        father_name=value("father_name"),
        mother_name=value("mother_name"),
        guardian_name=value("guardian_name"),
        village=value("home_village_text"),
        sex=value("sex"),
        age=int(age) if age.isdigit() else None,
        home_district_id=int(district) if district.isdigit() else None,
        home_block_id=int(block) if block.isdigit() else None,
        aadhaar_hash=matching.aadhaar_hash(aadhaar) if len(aadhaar) == 12 and aadhaar.isdigit() else "",
    )


@login_required
@require_POST
def child_matches(request):
    """htmx: earlier records that may be the child being typed into one row of the registration form.

    A POST: the row's name, parents, village and Aadhaar number travel in the body, never in a URL or a log line.
    """
    access.require(request.user, "rescue.register")
    prefix = request.POST.get("prefix", "")
    if not re.fullmatch(r"children-\d{1,2}", prefix):
        prefix = "children-0"
    found = candidates.candidates_for(particulars=_particulars(request.POST, prefix), user=request.user)
    chosen = request.POST.get(f"{prefix}-match", "")
    return render(request, "rescue/child_matches.html", {"candidates": found, "prefix": prefix, "chosen": chosen})


@login_required
@require_GET
def block_options(request):
    """htmx: the <option>s of the blocks of one district (geography only, no personal data)."""
    access.require(request.user, "portal.view")
    district = request.GET.get(request.GET.get("from", "district"), "")
    blocks = geo_queries.blocks_of(district)
    return render(request, "rescue/block_options.html", {"blocks": blocks})


@login_required
@require_GET
def rescue_detail(request, pk: int):
    access.require(request.user, "rescue.view")
    rescue = queries.rescue_by_id(user=request.user, pk=pk)
    cases = queries.cases_of_rescue(user=request.user, rescue=rescue)
    access_log_record(user=request.user, obj=rescue, action="view", request=request, label=f"rescue {rescue.pk}")
    return render(request, "rescue/rescue_detail.html", {"rescue": rescue, "cases": cases})


# --- The case list and the case page -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def case_list(request):
    """The case list. Filters (places, status, dates) are a GET; a search by name or case number is a POST, so a
    child's name never appears in a URL, a server log line or a Referer."""
    access.require(request.user, "case.view_list")
    searching = request.method == "POST" and bool((request.POST.get("q") or "").strip())
    if request.method == "POST" and not searching:
        # Nothing personal left to hide: the filters go to the URL, so the list can be paged and kept.
        params = {name: value for name, value in request.POST.items() if name in _LIST_FILTERS and value}
        return redirect(f"{reverse('rescue:case-list')}?{urlencode(params)}")
    source = request.POST if searching else _without_search(request.GET)
    form = CaseFilterForm(source or None, home=_home_or_none())
    filters = queries.CaseFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = queries.CaseFilters(**{name: data[name] for name in queries.CaseFilters.__dataclass_fields__})
    after, before = ("", "") if searching else (request.GET.get("after", ""), request.GET.get("before", ""))
    page = queries.case_list(user=request.user, filters=filters, after=after, before=before)
    params = _without_search(request.GET)
    for name in ("after", "before"):
        params.pop(name, None)
    context = {
        "form": form,
        "page": page,
        "base_query": "" if searching else params.urlencode(),
        "awaiting": queries.transfers_awaiting(user=request.user).count()
        if access.can(request.user, "case.acknowledge_transfer")
        else 0,
    }
    response = render(request, "rescue/case_list.html", context)
    if request.headers.get("HX-Request"):
        # htmx puts in the address bar only what holds no name: the filters' URL, or the bare list after a search.
        response["HX-Push-Url"] = reverse("rescue:case-list") if searching else request.get_full_path()
    return response


# The list's filters that may travel in a URL (everything but the search box).
_LIST_FILTERS = {name for name in queries.CaseFilters.__dataclass_fields__ if name not in ("q", "similar")}


def _without_search(params):
    """The query string without a search term: a name that reached a URL anyway is neither used nor echoed."""
    params = params.copy()
    for name in ("q", "similar"):
        params.pop(name, None)
    return params


@login_required
@require_GET
def case_detail(request, case_number: str):
    access.require(request.user, "case.view")
    case = queries.case_for_page(user=request.user, case_number=case_number)
    access_log_record(user=request.user, obj=case, action="view", request=request, label=case.case_number)
    user = request.user
    transfers = queries.transfers_of(case=case)
    writable = access.is_writable(user, case)
    acknowledges = writable and access.can(user, "case.acknowledge_transfer")
    for transfer in transfers:
        # Only the receiving district acknowledges; the sending district sees its transfer as pending.
        transfer.receivable = acknowledges and queries.receives_transfer(user, transfer)
    context = {
        "case": case,
        "events": queries.timeline(case=case),
        "transfers": transfers,
        "later_cases": queries.later_cases(user=user, case=case),
        "link_requests": queries.link_requests_of_case(case=case),
        **_panels(request, case),
        # A case shared with the user for reading shows no button that would change it.
        "moves": _form_moves(case, user) if writable else [],
        "can_transfer": writable
        and access.can(user, "case.transfer")
        and case.status in services.OPEN_STATUSES
        and case.interstate == "none",
        "can_step": writable and access.can(user, "case.transfer"),
        "can_view_rescue": access.can(user, "rescue.view"),
        "can_correct": writable and access.can(user, "case.correct"),
    }
    return render(request, "rescue/case_detail.html", context)


@login_required
@require_GET
def child_photo(request, case_number: str):
    """The child's photo, shown on the case page; served only through access, never from a public media URL."""
    access.require(request.user, "case.view")
    case = queries.case_for_page(user=request.user, case_number=case_number)
    return protected_file_response(
        request=request,
        file=case.child.photo,
        obj=case.child,
        label=case.case_number,
        filename_stem=f"{case.case_number}-photo",
        inline=True,
    )


def _panels(request, case) -> dict[str, list[str]]:
    """Sections and action buttons other apps add to the case page (settings.CASE_PAGE_PANELS), rendered.

    Every hook is imported at start-up by a system check (clts.hooks), so a broken one stops the portal there
    instead of vanishing from the page.
    """
    panels, actions = [], []
    for panel_function in hook_functions("CASE_PAGE_PANELS"):
        panel = panel_function(request=request, case=case)
        if panel:
            context = {"case": case, **panel.get("context", {})}
            panels.append(render_to_string(panel["template"], context, request=request))
            if panel.get("actions_template"):
                actions.append(render_to_string(panel["actions_template"], context, request=request))
    return {"panels": panels, "panel_actions": actions}


# Moves made on their own forms: production and orders by the CWC, closure by the rehabilitation checks,
# transfer out of the state by the handover.
_MOVES_ELSEWHERE = {Status.PRODUCED, Status.IN_SHELTER, Status.RESTORED, Status.CLOSED, Status.TRANSFERRED_OUT}


def _form_moves(case, user) -> list[str]:
    return [move for move in services.allowed_moves(case=case, user=user) if move not in _MOVES_ELSEWHERE]


# --- Workflow forms -------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def case_transition(request, case_number: str):
    access.require(request.user, "case.transition")
    case = queries.case_for_page(user=request.user, case_number=case_number, write=True)
    form = TransitionForm(request.POST or None, moves=_form_moves(case, request.user))
    if submit(
        form,
        lambda data: services.case_transition(
            case=case, to=data["to"], actor=request.user, reason=data["reason"], at=data["at"] or None
        ),
    ):
        messages.success(request, _("The status is changed."))
        return redirect("rescue:case-detail", case_number=case.case_number)
    return render(request, "rescue/case_transition.html", {"case": case, "form": form})


_CORRECTIONS = {
    "child": (ChildCorrectionForm, "child_correct", _("The child's particulars are corrected.")),
    "rescue": (RescueCorrectionForm, "rescue_correct", _("The rescue's details are corrected.")),
    "cwc": (CwcAssignForm, "case_cwc_assign", _("The case is given to the CWC; its members now see it.")),
}


@login_required
@require_http_methods(["GET", "POST"])
def case_correct(request, case_number: str):
    """Correct the child's particulars, the rescue's details, or give the case its CWC: three forms on one page,
    each sent on its own (`part`), each with a reason that goes on the timeline."""
    access.require(request.user, "case.correct")
    case = queries.case_for_page(user=request.user, case_number=case_number, write=True)
    part = request.POST.get("part") if request.method == "POST" else None
    forms_by_part = {
        "child": ChildCorrectionForm(request.POST if part == "child" else None, instance=case.child, prefix="child"),
        "rescue": RescueCorrectionForm(
            request.POST if part == "rescue" else None, instance=case.rescue, prefix="rescue"
        ),
    }
    if case.produced_at is None:
        forms_by_part["cwc"] = CwcAssignForm(request.POST if part == "cwc" else None, case=case, prefix="cwc")
    form = forms_by_part.get(part)
    if form is not None and form.is_valid():
        _form_class, service_name, done = _CORRECTIONS[part]
        service = getattr(services, service_name)
        data = form.service_data() if part != "cwc" else {"cwc": form.cleaned_data["cwc"]}
        arguments = {"fields": data} if part != "cwc" else data
        try:
            service(case=case, actor=request.user, reason=form.cleaned_data["reason"], **arguments)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("rescue:case-detail", case_number=case.case_number)
    return render(request, "rescue/case_correct.html", {"case": case, "forms": forms_by_part, "part": part})


@login_required
@require_http_methods(["GET", "POST"])
def case_transfer(request, case_number: str):
    access.require(request.user, "case.transfer")
    case = queries.case_for_page(user=request.user, case_number=case_number, write=True)
    form = DistrictTransferForm(request.POST or None, home=queries.home_state())
    if submit(form, lambda data: services.case_transfer_to_district(case=case, actor=request.user, **data)):
        messages.success(request, _("The case is sent to the home district; it must acknowledge receipt."))
        return redirect("rescue:case-detail", case_number=case.case_number)
    return render(request, "rescue/case_transfer.html", {"case": case, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def transfer_step(request, case_number: str, pk: int):
    access.require(request.user, "case.transfer")
    transfer = queries.transfer_of_case(user=request.user, case_number=case_number, pk=pk, write=True)
    form = TransferStepForm(request.POST or None, steps=transfer.next_steps, home=queries.home_state())
    if submit(
        form,
        lambda data: services.transfer_record_step(
            transfer=transfer, actor=request.user, **data | {"at": data["at"] or None}
        ),
    ):
        messages.success(request, _("The step is recorded."))
        return redirect("rescue:case-detail", case_number=case_number)
    return render(request, "rescue/transfer_step.html", {"transfer": transfer, "case": transfer.case, "form": form})


@login_required
@require_POST
def transfer_acknowledge(request, case_number: str, pk: int):
    access.require(request.user, "case.acknowledge_transfer")
    transfer = queries.transfer_of_case(user=request.user, case_number=case_number, pk=pk, write=True)
    form = AcknowledgeForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.transfer_acknowledge(transfer=transfer, actor=request.user, note=note)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Receipt of the case is acknowledged."))
    return redirect("rescue:case-detail", case_number=case_number)


@login_required
@require_GET
def transfer_list(request):
    access.require(request.user, "case.view_list")
    awaiting = list(queries.transfers_awaiting(user=request.user)[:200])
    outgoing = list(queries.transfers_outgoing(user=request.user)[:200])
    in_progress = list(queries.movements_in_progress(user=request.user)[:200])
    context = {
        "awaiting": awaiting,
        "outgoing": outgoing,
        "in_progress": in_progress,
        "can_acknowledge": access.can(request.user, "case.acknowledge_transfer"),
        "today": timezone.localdate(),
        "kinds": TransferKind,
    }
    return render(request, "rescue/transfer_list.html", context)


# --- Link requests: a new case that may be a child recorded in another area ----------------------------------


@login_required
@require_GET
def link_request_list(request):
    """The requests the user's district holds: pending first, then those decided lately."""
    access.require(request.user, "link_request.view")
    rows = queries.link_request_queue(user=request.user)
    return render(request, "rescue/link_request_list.html", {"rows": rows})


@login_required
@require_GET
def link_request_detail(request, pk: int):
    """Both records side by side, what differs marked, and the holder's decision."""
    access.require(request.user, "link_request.view")
    link = queries.link_request_for_page(user=request.user, pk=pk)
    return _render_link_request(request, link, form=None)


def _render_link_request(request, link, *, form):
    compared = queries.link_comparison(link=link)
    updatable = [row for row in compared if row.updatable]
    can_decide = link.is_pending and access.can(request.user, "link_request.decide")
    if can_decide:
        can_decide = access.is_writable(request.user, link)
    if form is None and can_decide:
        form = LinkDecisionForm(updatable=updatable)
    for case in (link.new_case, link.earlier_case):
        access_log_record(user=request.user, obj=case, action="view", request=request, label=case.case_number)
    context = {"link": link, "compared": compared, "form": form, "can_decide": can_decide}
    return render(request, "rescue/link_request_detail.html", context)


def _decide(request, item, *, decided: str, detail: str, make_form, confirm, reject, rejected: str, done: str, page):
    """The decision on two records that may be one child (a link request, a pair the nightly pass found), taken
    once: "confirm" links the cases, "reject" records two children; a refusal shows the page again with the form."""
    if not item.is_pending:
        messages.error(request, decided)
        return redirect(detail, pk=item.pk)
    form = make_form()
    if submit(form, lambda data: (confirm if data["decision"] == "confirm" else reject)(data)):
        confirmed = form.cleaned_data["decision"] == "confirm"
        messages.success(request, _("The cases are linked.") if confirmed else rejected)
        return redirect(done)
    return page(form)


@login_required
@require_POST
def link_request_decide(request, pk: int):
    access.require(request.user, "link_request.decide")
    link = queries.link_request_for_decision(user=request.user, pk=pk)
    return _decide(
        request,
        link,
        decided=_("This request has already been decided."),
        detail="rescue:link-request-detail",
        make_form=lambda: LinkDecisionForm(
            request.POST, updatable=[row for row in queries.link_comparison(link=link) if row.updatable]
        ),
        confirm=lambda data: services.link_request_confirm(
            request=link, actor=request.user, update_fields=data["update_fields"], note=data["note"]
        ),
        reject=lambda data: services.link_request_reject(request=link, actor=request.user, note=data["note"]),
        rejected=_("Recorded as a different child; this pair will not be raised again."),
        done="rescue:link-request-list",
        page=lambda form: _render_link_request(
            request, queries.link_request_for_page(user=request.user, pk=pk), form=form
        ),
    )


@login_required
@require_GET
def link_request_photo(request, pk: int, which: str):
    """The photo of either record of a request, for the holder comparing them; served only through access."""
    access.require(request.user, "link_request.view")
    link = queries.link_request_for_page(user=request.user, pk=pk)
    cases = {"new": link.new_case, "earlier": link.earlier_case}
    if which not in cases:
        raise Http404
    child = link.new_case.child if which == "new" else link.earlier_child
    case = cases[which]
    return protected_file_response(
        request=request,
        file=child.photo,
        obj=child,
        label=case.case_number,
        filename_stem=f"{case.case_number}-photo",
        inline=True,
    )


@login_required
@require_GET
def duplicate_list(request):
    """Pairs of records the nightly pass found to be one child registered twice, for the district to review."""
    access.require(request.user, "duplicate.view")
    return render(request, "rescue/duplicate_list.html", {"rows": queries.duplicate_queue(user=request.user)})


@login_required
@require_GET
def duplicate_detail(request, pk: int):
    """Both records side by side, the engine's evidence in words, and the decision."""
    access.require(request.user, "duplicate.view")
    pair = queries.duplicate_for_page(user=request.user, pk=pk)
    return _render_duplicate(request, pair, form=None)


def _render_duplicate(request, pair, *, form):
    can_decide = (
        pair.is_pending and access.can(request.user, "duplicate.decide") and access.is_writable(request.user, pair)
    )
    if form is None and can_decide:
        form = DuplicateDecisionForm()
    for case in (pair.case, pair.earlier_case):
        access_log_record(user=request.user, obj=case, action="view", request=request, label=case.case_number)
    context = {
        "pair": pair,
        "compared": queries.duplicate_comparison(pair=pair),
        "scored": queries.duplicate_evidence(pair=pair),
        "form": form,
        "can_decide": can_decide,
    }
    return render(request, "rescue/duplicate_detail.html", context)


@login_required
@require_POST
def duplicate_decide(request, pk: int):
    access.require(request.user, "duplicate.decide")
    pair = queries.duplicate_for_decision(user=request.user, pk=pk)
    return _decide(
        request,
        pair,
        decided=_("This pair has already been decided."),
        detail="rescue:duplicate-detail",
        make_form=lambda: DuplicateDecisionForm(request.POST),
        confirm=lambda data: services.duplicate_confirm(pair=pair, actor=request.user, note=data["note"]),
        reject=lambda data: services.duplicate_reject(pair=pair, actor=request.user, note=data["note"]),
        rejected=_("Recorded as two children; this pair will not be raised again."),
        done="rescue:duplicate-list",
        page=lambda form: _render_duplicate(request, queries.duplicate_for_page(user=request.user, pk=pk), form=form),
    )
