"""The navigation a user sees (settings.NAVIGATION), decided by what their role may do."""

from django.conf import settings
from django.urls import reverse

from clts.accounts import access


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    for action, url_name, label in settings.NAVIGATION:
        if access.can(user, action):
            url = reverse(url_name)
            items.append({"url": url, "label": label, "active": request.path.startswith(url) and url != "/"})
    return {"nav_items": items}
