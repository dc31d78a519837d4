"""What a page costs on a slow link: the bytes Chromium receives for it, on a first and on a repeat view, with
static files served as in production (collectstatic's hashed names, .gz/.br copies, WhiteNoise's cache headers).

The e2e live server serves static files from the source folders without compression or long-lived caching, so the
page-weight test and benchmark start their own server on the same test database instead.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.test import override_settings

PRODUCTION_STATIC = {
    "DEBUG": False,
    "WHITENOISE_USE_FINDERS": False,
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    },
}


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002  (the base class's name)
        pass


@contextmanager
def production_server(static_root):
    """The portal on a free local port, its static files collected into `static_root` as the Dockerfile does."""
    with override_settings(STATIC_ROOT=str(static_root), **PRODUCTION_STATIC):
        call_command("collectstatic", interactive=False, verbosity=0)
        server = ThreadedWSGIServer(("127.0.0.1", 0), _QuietHandler, allow_reuse_address=False)
        server.set_app(WSGIHandler())  # after the settings above: WhiteNoise reads them when it starts
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}"
        finally:
            server.shutdown()
            server.server_close()


FONTS_CONF = """<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{cache}</cachedir></fontconfig>"""


def launch_without_devanagari(browser_type, folder):
    """A Chromium that knows no Devanagari font of its own (DejaVu only): the worst case, a phone that must
    download the portal's web font for Hindi. (An Android phone has Noto Sans Devanagari and downloads none.)"""
    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    conf = folder / "fonts.conf"
    conf.write_text(FONTS_CONF.format(cache=folder / "fontcache"))
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    return browser_type.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, env=env)


@dataclass
class Transfer:
    total: int = 0  # bytes received, headers included
    html: int = 0
    requests: int = 0
    by_type: dict | None = None


def transferred(page, url: str) -> Transfer:
    """Open `url` in `page` and count what came over the network (nothing for what the cache answered)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    types: dict[str, str] = {}
    result = Transfer(by_type={})

    def on_response(event):
        types[event["requestId"]] = event["type"]

    def on_finished(event):
        kind = types.get(event["requestId"], "Other")
        size = int(event["encodedDataLength"])
        result.total += size
        result.requests += 1 if size else 0
        result.by_type[kind] = result.by_type.get(kind, 0) + size
        if kind == "Document":
            result.html += size

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.loadingFinished", on_finished)
    page.goto(url, wait_until="networkidle")
    cdp.detach()
    return result
