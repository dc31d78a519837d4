"""Compression of what the portal writes itself (static files come compressed from WhiteNoise)."""

from django.middleware.gzip import GZipMiddleware


class TextGZipMiddleware(GZipMiddleware):
    """Pages and other text, gzipped for slow links; never a download.

    Spreadsheets, PDFs and images are compressed already, and a file sent as an attachment is saved by the browser
    as it arrives. Django's GZipMiddleware pads each response at random against BREACH, and every CSRF token in a
    page is masked afresh.
    """

    COMPRESSIBLE = ("text/", "application/json", "application/javascript", "image/svg+xml")

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "")
        if response.has_header("Content-Disposition") or not content_type.startswith(self.COMPRESSIBLE):
            return response
        return super().process_response(request, response)
