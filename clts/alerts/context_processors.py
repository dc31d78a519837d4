"""The count of the user's work list, shown beside "My work" in the navigation on every page."""

from clts.accounts import access
from clts.alerts import queries


def work_count(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not access.can(user, "mywork.view"):
        return {}
    # Lazy: pages that do not render the navigation (downloads, htmx fragments) never run the count.
    return {"work_count": lambda: queries.work_count(user=user)}
