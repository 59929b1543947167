"""Fixtures for the browser tests: the built site on a local server, and Chromium.

The site is served from site/ on 127.0.0.1 at a free port; Playwright drives the
system Chromium (Debian's `chromium`; Playwright's own browser download does not
work here). Every page gets a fresh browser context: no cache, no stored tab choice,
so each page is measured and used as by a first-time reader.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from spickzettel.core.paths import SITE

# What a static host such as GitHub Pages (ci.yml's deploy target) sends compressed.
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt"}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves site/ as a static host does: text gzip-compressed if the browser asks.

    The page weight counts transferred bytes, so an uncompressed test server
    would charge every page about three times what a reader downloads.
    """

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and path.suffix in COMPRESSED and path.is_file()):
            return super().do_GET()
        body = gzipped(path)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def handle(self):
        # The browser may leave a page (close its context) mid-download.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()

    def log_message(self, format, *args):
        pass


@functools.cache
def gzipped(path: Path) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


@pytest.fixture(scope="session")
def site_url() -> Iterator[str]:
    if not (SITE / "index.html").is_file():
        pytest.fail(
            f"{SITE} holds no built site: run `make build` (or `make test`) first.",
            pytrace=False,
        )
    handler = functools.partial(QuietHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
