"""PDF rendering with WeasyPrint: our templates, our static files and the Noto fonts, nothing fetched from outside.

The url_fetcher is the security boundary: a PDF template could otherwise make WeasyPrint read any local file or
call any URL (server-side request forgery). It serves `file:` URLs under the static directories and the Noto
font files of Debian's fonts-noto-core, and refuses every other path and scheme (http, https, data, ftp...).
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string

# WeasyPrint logs every parsing step at INFO, from import on; only its warnings and errors are worth keeping.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import CSS, HTML  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

FONT_DIR = Path("/usr/share/fonts/truetype/noto")
# Noto Sans carries the Latin letters, Noto Sans Devanagari the Hindi; both are embedded (subset) in every PDF.
FONT_FILES = {
    ("Noto Sans", 400): "NotoSans-Regular.ttf",
    ("Noto Sans", 700): "NotoSans-Bold.ttf",
    ("Noto Sans Devanagari", 400): "NotoSansDevanagari-Regular.ttf",
    ("Noto Sans Devanagari", 700): "NotoSansDevanagari-Bold.ttf",
}
CONTENT_TYPES = {
    ".css": "text/css",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
    ".ttf": "font/ttf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}


def _static_roots() -> list[Path]:
    roots = [Path(settings.STATIC_ROOT)] + [
        Path(str(d[1] if isinstance(d, tuple) else d)) for d in settings.STATICFILES_DIRS
    ]
    return [root.resolve() for root in roots]


def _font_paths() -> set[Path]:
    return {(FONT_DIR / name).resolve() for name in FONT_FILES.values()}


def allowed_path(path: Path) -> bool:
    """Whether the fetcher may read this file: one of our static files or one of the Noto font files."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return False
    if not real.is_file():
        return False
    if real in _font_paths():
        return True
    return any(real.is_relative_to(root) for root in _static_roots())


class StaticOnlyFetcher(URLFetcher):
    """Serves only our own static files and the Noto fonts; refuses http(s) and every other scheme."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols=("file",), allow_redirects=False, **kwargs)

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"refused URL scheme or host: {parts.scheme}")
        path = Path(unquote(parts.path))
        if not allowed_path(path):
            raise ValueError("refused a file outside the static directories and the PDF fonts")
        content_type = CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")
        return URLFetcherResponse(path.resolve().as_uri(), path.read_bytes(), {"Content-Type": content_type})


def font_css() -> str:
    faces = []
    for (family, weight), name in FONT_FILES.items():
        faces.append(
            f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: normal; '
            f'src: url("{(FONT_DIR / name).as_uri()}"); }}'
        )
    faces.append('body { font-family: "Noto Sans", "Noto Sans Devanagari"; }')
    return "\n".join(faces)


def render_pdf(*, template: str, context: dict) -> bytes:
    """Render a Django template to PDF bytes; relative URLs resolve against our static directory."""
    html = render_to_string(template, context)
    fetcher = StaticOnlyFetcher()
    base_url = _static_roots()[-1].as_uri() + "/"
    fonts = FontConfiguration()
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    stylesheet = CSS(string=font_css(), url_fetcher=fetcher, font_config=fonts)
    return document.write_pdf(stylesheets=[stylesheet], font_config=fonts)
