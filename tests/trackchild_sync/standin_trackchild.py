"""A small stand-in for TrackChild's push API, run by the tests on 127.0.0.1 (python standin_trackchild.py PORT
STORE TOKEN [DIE_AFTER]): PUT /<type>/<CLTS id> stores the record under its id (a second PUT replaces it), GET
/<type>/ lists them; a wrong token is 401. With DIE_AFTER, the process dies after storing that many records,
before answering the last one: the reply is lost, as when a server is killed half way. The store is a JSON file, so a
restarted server keeps what it had."""

import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PORT, STORE, TOKEN = int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
DIE_AFTER = int(sys.argv[4]) if len(sys.argv) > 4 else None
stored_here = 0


def load() -> dict:
    return json.loads(STORE.read_text()) if STORE.exists() else {}


class Handler(BaseHTTPRequestHandler):
    def _authorised(self) -> bool:
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            self.send_response(401)
            self.end_headers()
            return False
        return True

    def do_PUT(self):  # noqa: N802
        global stored_here
        if not self._authorised():
            return
        _, kind, ident = self.path.rstrip("/").split("/")[-3:]
        record = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        data = load()
        data.setdefault(kind, {})[ident] = record
        STORE.write_text(json.dumps(data))
        stored_here += 1
        if DIE_AFTER is not None and stored_here >= DIE_AFTER:
            os._exit(1)
        self.send_response(200)
        self.end_headers()

    def do_GET(self):  # noqa: N802
        if not self._authorised():
            return
        kind = self.path.strip("/").split("/")[-1]
        body = json.dumps(load().get(kind, {})).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
