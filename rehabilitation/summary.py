"""The rehabilitation section of a case summary (settings.CASE_SUMMARY_SECTIONS): the package's components and
where each stands, for the interstate repatriation file the receiving CWC reads (trackchild_sync)."""

from django.utils.translation import gettext as _

from rehabilitation.models import Component


def case_section(*, case, user) -> list[dict]:
    components = Component.objects.visible_to(user).filter(package__case=case).order_by("due_on", "id")
    rows = [{"label": c.name, "value": c.get_status_display()} for c in components]
    return [{"key": "rehabilitation", "title": _("Rehabilitation package"), "rows": rows}] if rows else []
