from django.conf import settings
from django.contrib import admin
from django.urls import include, path, register_converter

from clts.health import Health
from rescue.converters import CaseNumberConverter

# `<case_number:case_number>` in the URLs of every app that has pages about one case.
register_converter(CaseNumberConverter, "case_number")

admin.site.site_header = "CLTS administration"
admin.site.site_title = "CLTS"

urlpatterns = [
    path("", include("clts.reports.urls")),
    path("reports/", include("clts.reports.report_urls")),
    path("accounts/", include("clts.accounts.urls")),
    path("alerts/", include("clts.alerts.urls")),
    path("audit/", include("clts.audit.urls")),
    path("imports/", include("clts.imports.urls")),
    path("cases/", include("rescue.urls")),
    path("rehabilitation/", include("rehabilitation.urls")),
    path("schemes/", include("schemes.urls")),
    path("protection/", include("trackchild_sync.urls")),
    path("health/", Health.as_view(), name="health"),
    path(settings.ADMIN_URL, admin.site.urls),
]

# Error pages in the portal's layout and the reader's language (clts/core/errors.py).
handler403 = "clts.core.errors.forbidden"
handler404 = "clts.core.errors.not_found"
handler500 = "clts.core.errors.server_error"
