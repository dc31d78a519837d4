"""The 403, 404 and 500 pages (handler403/404/500 in clts/urls.py): in the portal's layout, in the reader's
language, with a way back.

403 and 404 render with the request, so a signed-in officer keeps the menu. The 500 page renders with nothing
but the template: the failure may be the database or a context processor (the menu, the work count), and an error
page that fails in turn shows the browser's bare text.
"""

from django.core.exceptions import DisallowedHost
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import requires_csrf_token


def _back(request) -> str:
    """The page the reader came from, when it is one of ours and not this one; else empty."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except DisallowedHost:
        return ""
    ours = url_has_allowed_host_and_scheme(referer, allowed_hosts={host}, require_https=request.is_secure())
    return referer if referer and ours and referer != request.build_absolute_uri() else ""


@requires_csrf_token
def forbidden(request, exception=None):
    return render(request, "403.html", {"back": _back(request)}, status=403)


@requires_csrf_token
def not_found(request, exception=None):
    return render(request, "404.html", {"back": _back(request)}, status=404)


@requires_csrf_token
def server_error(request):
    return HttpResponseServerError(loader.get_template("500.html").render({"back": _back(request)}))
