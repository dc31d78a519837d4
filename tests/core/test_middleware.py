"""Pages are compressed for slow links; downloads are sent as they are."""

from django.http import HttpResponse
from django.test import RequestFactory

from clts.core.middleware import TextGZipMiddleware


def test_pages_are_gzipped_and_downloads_are_not():
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    page = HttpResponse("<p>" + "row " * 200 + "</p>", content_type="text/html; charset=utf-8")
    sheet = HttpResponse(b"PK" + b"\0" * 800, content_type="application/vnd.ms-excel")
    report = HttpResponse("a,b\n" * 200, content_type="text/csv")
    report["Content-Disposition"] = 'attachment; filename="export.csv"'
    middleware = TextGZipMiddleware(lambda request: None)
    assert middleware.process_response(request, page)["Content-Encoding"] == "gzip"
    for download in (sheet, report):
        assert not middleware.process_response(request, download).has_header("Content-Encoding")
