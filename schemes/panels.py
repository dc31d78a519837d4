"""The schemes panel of the case page (settings.CASE_PAGE_PANELS)."""

from django.utils import timezone

from clts.accounts import access
from schemes import forms, queries
from schemes.models import LinkageStatus


def case_panel(*, request, case) -> dict | None:
    """The household, its documents, the schemes still to apply for (with the reason and the papers missing)
    and the linkages with their next step. Roles that may not see households (CWC, CCI, field, nodal) get none."""
    user = request.user
    if not access.can(user, "household.view"):
        return None
    household = queries.household_of_case(case=case, user=user)
    context = {
        "case": case,
        "household": household,
        "next": request.get_full_path(),
        "can_edit": access.can(user, "household.edit"),
        "can_apply": access.can(user, "linkage.apply"),
        "can_update": access.can(user, "linkage.update"),
        "can_print": access.can(user, "linkage.print_card"),
    }
    if household is not None:
        today = timezone.localdate()
        loaded = queries.household_rows(household)
        found = queries.case_schemes(case=case, household=household, today=today, loaded=loaded)
        for linkage in found["linkages"]:
            linkage.beneficiary_name = queries.beneficiary_name(linkage)
            linkage.step_forms = step_forms(user, linkage, documents=loaded["documents"])
            linkage.overdue = linkage.is_overdue(today)
        context |= {
            "suggestions": found["suggestions"],
            "linkages": found["linkages"],
            "checklist": queries.document_checklist(
                children=loaded["links"], members=loaded["members"], documents=loaded["documents"]
            ),
        }
    return {"template": "schemes/case_panel.html", "context": context}


def step_forms(user, linkage, documents: list | None = None) -> dict:
    """The next steps of a linkage as small forms (ids unique per linkage), those this user may take;
    `documents`: the household's, when already loaded."""
    auto_id = f"l{linkage.pk}_%s"
    status = linkage.status
    if access.can(user, "linkage.apply"):
        if status == LinkageStatus.IDENTIFIED:
            missing = queries.linkage_missing_documents(linkage, documents)
            return {"documents": forms.DocumentsCompleteForm(missing=missing, auto_id=auto_id)}
        if status == LinkageStatus.DOCUMENTS_COMPLETE:
            return {"apply": forms.ApplyForm(auto_id=auto_id, initial={"office": linkage.scheme.office})}
        if status == LinkageStatus.REJECTED:
            return {"reapply": forms.ReapplyForm(auto_id=auto_id)}
    if access.can(user, "linkage.update"):
        if status == LinkageStatus.APPLIED:
            return {"sanction": forms.SanctionForm(auto_id=auto_id), "reject": forms.RejectForm(auto_id=auto_id)}
        if status == LinkageStatus.SANCTIONED:
            return {"receive": forms.ReceiveForm(auto_id=auto_id), "reject": forms.RejectForm(auto_id=auto_id)}
    return {}
