"""The navigation a user sees, decided by what their role may do."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from clts.accounts import access

# (action the role needs, URL name, label). Apps add their entries here as they gain pages.
NAVIGATION = [
    ("portal.view", "portal:home", _("Home")),
    ("case.view_list", "rescue:case-list", _("Cases")),
    ("rescue.register", "rescue:rescue-create", _("Register rescue")),
    ("visit.view_list", "rehabilitation:visit-list", _("My visits")),
    ("package.view_list", "rehabilitation:package-list", _("Packages")),
    ("linkage.view_list", "schemes:linkage-queue", _("Scheme linkages")),
    ("scheme.view_list", "schemes:scheme-list", _("Scheme catalogue")),
    ("audit.view", "audit:log", _("Audit trail")),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    for action, url_name, label in NAVIGATION:
        if not access.can(user, action):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue  # the page is not built yet
        items.append({"url": url, "label": label, "active": request.path.startswith(url) and url != "/"})
    return {"nav_items": items}
