"""The navigation a user sees (settings.NAVIGATION), decided by what their role may do."""

from django.conf import settings
from django.urls import reverse

from clts.accounts import access


def navigation(request):
    """`nav_items`: every entry the user may open, in order; `nav_menu`: the bar, entries grouped into menus.

    A menu of which the user may open one entry only is that entry's plain link (a field worker's bar has no
    dropdown of one). The entry whose address is the longest start of the page's is the active one
    ("/alerts/compliance/" is not also "/alerts/"), and so is the menu that holds it.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    for action, url_name, label, *menu in settings.NAVIGATION:
        if access.can(user, action):
            url = reverse(url_name)
            items.append(
                {"url": url, "url_name": url_name, "label": label, "menu": menu[0] if menu else None, "active": False}
            )
    matches = [item for item in items if request.path.startswith(item["url"]) and item["url"] != "/"]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["active"] = True
    return {"nav_items": items, "nav_menu": _menu(items)}


def _menu(items: list[dict]) -> list[dict]:
    """The bar: plain entries, and one {"label", "entries", "active"} per menu at the place of its first entry."""
    bar: list[dict] = []
    menus: dict[str, dict] = {}
    for item in items:
        if item["menu"] is None:
            bar.append(item)
        elif item["menu"] in menus:
            menus[item["menu"]]["entries"].append(item)
        else:
            menus[item["menu"]] = {"label": item["menu"], "entries": [item]}
            bar.append(menus[item["menu"]])
    for menu in menus.values():
        menu["active"] = any(entry["active"] for entry in menu["entries"])
    return [entry["entries"][0] if len(entry.get("entries", ())) == 1 else entry for entry in bar]
