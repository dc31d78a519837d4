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
            items.append({"url": url, "url_name": url_name, "label": label, "active": False})
    # The entry whose address is the longest start of the page's is the active one ("/alerts/compliance/" is not
    # also "/alerts/").
    matches = [item for item in items if request.path.startswith(item["url"]) and item["url"] != "/"]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["active"] = True
    return {"nav_items": items}
