"""Pages of the schemes app: households, documents, linkage steps, the work queue, the entitlement card."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clts.accounts import access
from clts.audit.downloads import protected_file_response
from clts.audit.services import access_log_record
from clts.core.forms import add_service_errors, submit
from clts.core.http import safe_next
from clts.core.keyset import parse_cursor
from clts.core.pdf import render_pdf
from clts.geo import queries as geo_queries
from rescue import queries as rescue_queries
from schemes import forms, panels, queries, services
from schemes.models import (
    Document,
    DocumentKind,
    Household,
    HouseholdMember,
    Linkage,
)


def _household(request, pk: int, *, write: bool = False) -> Household:
    return queries.household_by_id(user=request.user, pk=pk, write=write)


def _linkage(request, pk: int, *, write: bool = False) -> Linkage:
    return queries.linkage_by_id(user=request.user, pk=pk, write=write)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# ---------------------------------------------------------------------------------------------------------------
# Catalogue


@login_required
@require_GET
def scheme_list(request):
    access.require(request.user, "scheme.view_list")
    return render(request, "schemes/scheme_list.html", {"schemes": queries.catalogue()})


# ---------------------------------------------------------------------------------------------------------------
# Households


@login_required
@require_http_methods(["GET", "POST"])
def household_create(request, case_number: str):
    access.require(request.user, "household.edit")
    case = rescue_queries.case_by_number(user=request.user, case_number=case_number, write=True)
    existing = queries.household_of_case(case=case, user=request.user)
    if existing is not None:
        return redirect("schemes:household-detail", existing.pk)
    initial = {
        "district": case.child.home_district_id or case.home_district_id,
        "block": case.child.home_block_id,
        "village": case.child.home_village_id,
        "village_text": case.child.home_village_text,
        "address": case.child.home_address,
    }
    form = forms.HouseholdForm(request.POST or None, initial=initial)
    child_form = forms.HouseholdChildForm(request.POST or None, prefix="child")
    if request.method == "POST" and form.is_valid() and child_form.is_valid():
        try:
            household = services.household_create(
                case=case,
                actor=request.user,
                fields=form.household_fields(),
                child_fields=child_form.child_fields(),
                ration_card_number=form.cleaned_data["ration_card_number"],
                bank_account_number=form.cleaned_data["bank_account_number"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The household was recorded."))
            return redirect(safe_next(request, reverse("schemes:household-detail", args=[household.pk])))
    return render(
        request,
        "schemes/household_form.html",
        {"form": form, "child_form": child_form, "case": case, "next": safe_next(request, "")},
    )


@login_required
@require_GET
def village_options(request):
    """htmx: the <option>s of the villages of one block (geography only, no personal data)."""
    access.require(request.user, "household.edit")
    block = request.GET.get("block", "")
    villages = geo_queries.villages_of(block)
    return render(request, "schemes/village_options.html", {"villages": villages})


@login_required
@require_GET
def household_detail(request, pk: int):
    access.require(request.user, "household.view")
    household = _household(request, pk)
    children = list(queries.household_children(household).prefetch_related("child__cases"))
    members = list(household.members.order_by("id"))
    documents = queries.household_documents(household)
    access_log_record(user=request.user, obj=household, action="view", request=request, label=f"household {pk}")
    return render(
        request,
        "schemes/household_detail.html",
        {
            "household": household,
            "children": children,
            "members": members,
            "checklist": queries.document_checklist(children=children, members=members, documents=documents),
            "eligible": queries.household_eligibility(household=household),
            "link_form": forms.LinkChildForm(),
            "can_edit": access.can(request.user, "household.edit"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def household_edit(request, pk: int):
    access.require(request.user, "household.edit")
    household = _household(request, pk, write=True)
    form = forms.HouseholdForm(request.POST or None, instance=household)
    if submit(
        form,
        lambda data: services.household_update(
            household=household,
            actor=request.user,
            fields=form.household_fields(),
            ration_card_number=data["ration_card_number"],
            bank_account_number=data["bank_account_number"],
        ),
    ):
        messages.success(request, _("The household was updated."))
        return redirect("schemes:household-detail", household.pk)
    return render(request, "schemes/household_form.html", {"form": form, "household": household})


@login_required
@require_POST
def household_link_child(request, pk: int):
    access.require(request.user, "household.edit")
    household = _household(request, pk, write=True)
    form = forms.LinkChildForm(request.POST)
    if form.is_valid():
        try:
            case = rescue_queries.case_by_number(
                user=request.user, case_number=form.cleaned_data["case_number"], write=True
            )
        except (Http404, PermissionDenied):
            case = None
        if case is None:
            form.add_error("case_number", _("No case with this number in your jurisdiction."))
        else:
            try:
                services.household_link_child(household=household, case=case, actor=request.user)
            except ValidationError as error:
                form.add_error("case_number", error)
            else:
                messages.success(request, _("The child was added to the household."))
                return redirect("schemes:household-detail", household.pk)
    return render(request, "schemes/household_link_child.html", {"form": form, "household": household})


@login_required
@require_http_methods(["GET", "POST"])
def household_child_edit(request, pk: int):
    access.require(request.user, "household.edit")
    link = queries.household_child_by_id(user=request.user, pk=pk, write=True)
    form = forms.HouseholdChildForm(request.POST or None, instance=link)
    if request.method == "POST" and form.is_valid():
        services.household_child_update(link=link, actor=request.user, fields=form.child_fields())
        messages.success(request, _("The child's details were updated."))
        return redirect("schemes:household-detail", link.household_id)
    return render(request, "schemes/household_child_form.html", {"form": form, "link": link})


@login_required
@require_http_methods(["GET", "POST"])
def member_create(request, pk: int):
    access.require(request.user, "household.edit")
    household = _household(request, pk, write=True)
    return _member_form(request, household=household, member=None)


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request, pk: int):
    access.require(request.user, "household.edit")
    member = queries.member_by_id(user=request.user, pk=pk, write=True)
    return _member_form(request, household=member.household, member=member)


def _member_form(request, *, household: Household, member: HouseholdMember | None):
    form = forms.MemberForm(request.POST or None, instance=member)
    if submit(
        form,
        lambda data: services.member_save(
            household=household,
            member=member,
            actor=request.user,
            fields=form.member_fields(),
            aadhaar_number=data["aadhaar_number"],
        ),
    ):
        messages.success(request, _("The member was saved."))
        return redirect("schemes:household-detail", household.pk)
    return render(request, "schemes/member_form.html", {"form": form, "household": household, "member": member})


@login_required
@require_http_methods(["GET", "POST"])
def document_create(request, pk: int):
    access.require(request.user, "household.edit")
    household = _household(request, pk, write=True)
    form = forms.DocumentForm(request.POST or None, request.FILES or None, household=household)
    if submit(
        form,
        lambda data: services.document_record(
            household=household,
            kind=data["kind"],
            number=data["number"],
            issued_on=data["issued_on"],
            scan=data["scan"],
            actor=request.user,
            **form.holder_kwargs(),
        ),
    ):
        messages.success(request, _("The document was recorded."))
        return redirect("schemes:household-detail", household.pk)
    return render(request, "schemes/document_form.html", {"form": form, "household": household})


@login_required
@require_GET
def document_scan(request, pk: int):
    """The scan, served only through access (media files are never public)."""
    access.require(request.user, "household.view")
    document = access.get_visible_or_404(Document, request.user, pk=pk)
    return _scan_response(request, document)


@login_required
@require_GET
def linkage_document_scan(request, pk: int, document_pk: int):
    """A scan of a document the linkage's scheme asks for: what a nodal officer may open, and nothing else."""
    access.require(request.user, "linkage.view")
    linkage = _linkage(request, pk)
    document = next((d for d in queries.linkage_documents(linkage) if d.pk == document_pk), None)
    if document is None:
        raise Http404
    return _scan_response(request, document)


def _scan_response(request, document: Document):
    return protected_file_response(
        request=request,
        file=document.scan,
        obj=document,
        label=f"document {document.pk}",
        filename_stem=f"document-{document.pk}",
    )


# ---------------------------------------------------------------------------------------------------------------
# Linkages


@login_required
@require_POST
def linkage_identify(request, case_number: str):
    access.require(request.user, "linkage.apply")
    case = rescue_queries.case_by_number(user=request.user, case_number=case_number, write=True)
    form = forms.IdentifyForm(request.POST)
    back = safe_next(request, reverse("schemes:household-detail-of-case", args=[case.case_number]))
    if not form.is_valid():
        messages.error(request, _("Choose a scheme."))
        return redirect(back)
    member = None
    if form.cleaned_data["member"]:
        member = queries.member_by_id(user=request.user, pk=form.cleaned_data["member"], write=True)
    already = form.cleaned_data["already"]
    service = services.linkage_already_received if already else services.linkage_identify
    try:
        linkage = service(case=case, scheme=form.cleaned_data["scheme"], member=member, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(back)
    done = _("Recorded as already received: %(scheme)s.") if already else _("Now following: %(scheme)s.")
    messages.success(request, done % {"scheme": linkage.scheme.name})
    return redirect(back)


@login_required
@require_GET
def household_detail_of_case(request, case_number: str):
    """The household page of a case's child, or the form to record it."""
    access.require(request.user, "household.view")
    case = rescue_queries.case_by_number(user=request.user, case_number=case_number)
    household = queries.household_of_case(case=case, user=request.user)
    if household is None:
        if access.can(request.user, "household.edit"):
            return redirect("schemes:household-create", case.case_number)
        raise Http404
    return redirect("schemes:household-detail", household.pk)


@login_required
@require_GET
def linkage_queue(request):
    access.require(request.user, "linkage.view_list")
    form = forms.QueueFilterForm(request.GET or None, schemes=queries.queue_schemes(request.user))
    status, scheme_id = "open", None
    if form.is_bound and form.is_valid():
        status = form.cleaned_data["status"] or "open"
        scheme_id = form.cleaned_data["scheme"].pk if form.cleaned_data["scheme"] else None
    rows, next_cursor = queries.linkage_queue(
        user=request.user, status=status, scheme_id=scheme_id, after=parse_cursor(request.GET.get("after"))
    )
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "schemes/linkage_queue.html",
        {
            "form": form,
            "rows": rows,
            "next_cursor": next_cursor,
            "querystring_base": query.urlencode(),
            "first_page": not request.GET.get("after"),
        },
    )


@login_required
@require_GET
def linkage_detail(request, pk: int):
    access.require(request.user, "linkage.view")
    linkage = _linkage(request, pk)
    access_log_record(user=request.user, obj=linkage, action="view", request=request, label=linkage.case.case_number)
    return _render_linkage(request, linkage)


def _render_linkage(request, linkage: Linkage, bound: dict | None = None):
    household = linkage.household
    beneficiary = queries.linkage_beneficiary(linkage)
    context = {
        "linkage": linkage,
        "beneficiary": beneficiary,
        "household": household,
        "documents": queries.linkage_documents(linkage),
        "missing_labels": [DocumentKind(kind).label for kind in queries.linkage_missing_documents(linkage)],
        "events": queries.linkage_events(linkage),
        "forms": panels.step_forms(request.user, linkage) | (bound or {}),
        # The case (its number, its page) is for the labour officers; a nodal officer sees the linkage only.
        "shows_case": access.can(request.user, "household.view"),
        "overdue": linkage.is_overdue(),
    }
    return render(request, "schemes/linkage_detail.html", context)


def _step(action: str, form_class, service, form_kwargs=None):
    """The view of one linkage step: the role's action, the linkage through access, the form, one service call with
    the form's fields (but `next`) as its arguments."""

    def view(request, pk: int):
        access.require(request.user, action)
        linkage = _linkage(request, pk, write=True)
        extra = form_kwargs(linkage) if form_kwargs else {}
        form = form_class(request.POST, auto_id=f"l{linkage.pk}_%s", **extra)
        arguments = {"linkage": linkage, "actor": request.user}
        if submitted := submit(
            form, lambda data: service(**arguments, **{k: v for k, v in data.items() if k != "next"})
        ):
            messages.success(
                request,
                _("Saved: %(scheme)s is now “%(status)s”.")
                % {"scheme": linkage.scheme.name, "status": submitted.result.get_status_display()},
            )
            return redirect(safe_next(request, reverse("schemes:linkage-detail", args=[linkage.pk])))
        linkage.refresh_from_db()
        return _render_linkage(request, linkage, {form_class.step: form})

    view.__name__ = view.__qualname__ = f"linkage_{form_class.step}"
    return login_required(require_POST(view))


def _but_next(data: dict) -> dict:
    return {name: value for name, value in data.items() if name != "next"}


def _missing(linkage: Linkage) -> dict:
    return {"missing": queries.linkage_missing_documents(linkage)}


linkage_documents = _step("linkage.apply", forms.DocumentsCompleteForm, services.linkage_documents_complete, _missing)
linkage_apply = _step("linkage.apply", forms.ApplyForm, services.linkage_apply)
linkage_sanction = _step("linkage.update", forms.SanctionForm, services.linkage_sanction)
linkage_receive = _step("linkage.update", forms.ReceiveForm, services.linkage_receive)
linkage_reject = _step("linkage.update", forms.RejectForm, services.linkage_reject)
linkage_reapply = _step("linkage.apply", forms.ReapplyForm, services.linkage_reapply)


# ---------------------------------------------------------------------------------------------------------------
# Entitlement card


@login_required
@require_GET
def entitlement_card(request, case_number: str):
    """A one-page PDF for the family, in English or Hindi; named by the case number, never the child's name."""
    access.require(request.user, "linkage.print_card")
    case = rescue_queries.case_by_number(user=request.user, case_number=case_number)
    household = queries.household_of_case(case=case, user=request.user)
    if household is None:
        raise Http404
    lang = request.GET.get("lang", "en")
    if lang not in ("en", "hi"):
        lang = "en"
    with translation.override(lang):
        context = queries.entitlement_card(case=case, household=household)
        pdf = render_pdf(template="schemes/entitlement_card.html", context=context | {"lang": lang})
    access_log_record(user=request.user, obj=case, action="print", request=request, label=case.case_number)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"entitlement-card-{case.case_number}-{lang}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
