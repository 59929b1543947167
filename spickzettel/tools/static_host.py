"""site/ served as a static host such as GitHub Pages (ci.yml's deploy target)
serves it: text compressed with gzip when the browser asks for it.

Used by the browser tests (tests/browser/conftest.py) and by `make audit`
(spickzettel/tools/audit.py): an uncompressed server would charge every page about
three times the bytes a reader downloads, and Lighthouse would blame the site
for what the server left out.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

# What GitHub Pages sends compressed (its text types).
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ipynb"}


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder, text gzip-compressed if the browser accepts it; quiet."""

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
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self):
        # GitHub Pages lets browsers keep every file for ten minutes.
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def handle(self):
        # The browser may leave a page (close its context) mid-download.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()

    def log_message(self, format, *args):
        pass


@functools.cache
def gzipped(path: Path) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


@contextlib.contextmanager
def serving(folder: Path, port: int = 0) -> Iterator[str]:
    """Serves `folder` on 127.0.0.1 (a free port unless given) while in the block;
    yields the server's address, e.g. "http://127.0.0.1:8123"."""
    handler = functools.partial(Handler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
