"""The schemes section of a case summary (settings.CASE_SUMMARY_SECTIONS): documents held and schemes linked, for
the interstate repatriation file the receiving CWC reads (trackchild_sync). Kinds and states, never numbers."""

from django.db.models import Q
from django.utils.translation import gettext as _

from schemes.models import Document, Linkage


def case_section(*, case, user) -> list[dict]:
    documents = Document.objects.visible_to(user).filter(Q(child=case.child) | Q(household__children__child=case.child))
    linkages = Linkage.objects.visible_to(user).filter(case=case).select_related("scheme")
    return [
        {
            "key": "documents",
            "title": _("Documents held"),
            "rows": [
                {"label": d.get_kind_display(), "value": d.issued_on.isoformat() if d.issued_on else ""}
                for d in documents.distinct().order_by("kind", "id")
            ],
        },
        {
            "key": "schemes",
            "title": _("Schemes linked"),
            "rows": [
                {"label": link.scheme.name, "value": link.get_status_display()} for link in linkages.order_by("id")
            ],
        },
    ]
