"""A download made again only when what it is made from changed.

`mkdocs build` empties site/, so the cheat-sheet PDFs and the offline zip would be
printed and zipped again on every build, from the same inputs. Each step keys
what it writes by the digest of everything it reads (the code of the step, the
files of site/ it reads, the Chromium that prints) and keeps a copy under
build/downloads/<name>/; while the key holds, the copy is put back instead, and
the step says so ("reused ... (inputs unchanged)"). FRESH=1 or CI=true makes
every download again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from spickzettel.core.paths import ROOT

CACHE = ROOT / "build" / "downloads"
KEY = "key.json"


def bypassed() -> bool:
    return any(
        os.environ.get(name, "").lower() not in ("", "0", "false")
        for name in ("CI", "FRESH")
    )


class _Loads(HTMLParser):
    """What a page makes the browser load: src attributes and <link href>s."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if values.get("src"):
            self.found.append(values["src"])
        if tag == "link" and values.get("href"):
            self.found.append(values["href"])


CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")


def loaded_files(page: Path, site: Path) -> list[Path]:
    """The page and every file of `site` it loads, through stylesheets too."""
    found, todo = [], [page]
    while todo:
        path = todo.pop()
        if path in found:
            continue
        found.append(path)
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".css":
            references = CSS_URL.findall(text)
        else:
            parser = _Loads()
            parser.feed(text)
            references = parser.found
        for reference in references:
            parts = urlsplit(reference)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            relative = unquote(parts.path)
            base = site if relative.startswith("/") else path.parent
            target = Path(os.path.normpath(base / relative.lstrip("/")))
            # A link from a page to another page is not loaded by it.
            if (
                target.is_relative_to(site)
                and target.is_file()
                and (path.suffix == ".css" or target.suffix != ".html")
            ):
                todo.append(target)
    return sorted(found)


@cache
def chromium_version(binary: str) -> str:
    result = subprocess.run(
        [binary, "--version"], capture_output=True, text=True, timeout=120
    )
    return result.stdout.strip() or binary


def digest(*parts: str | bytes | Path) -> str:
    hashed = hashlib.sha256()
    for part in parts:
        if isinstance(part, Path):
            hashed.update(str(part).encode() + b"\0" + part.read_bytes())
        else:
            hashed.update(part if isinstance(part, bytes) else part.encode())
        hashed.update(b"\0")
    return hashed.hexdigest()


def _slot(name: str) -> Path:
    return CACHE / name


def reuse(name: str, key: str, targets: list[Path]) -> bool:
    """Put the kept `targets` back if they were made under `key`."""
    slot = _slot(name)
    if bypassed() or not (slot / KEY).is_file():
        return False
    kept = json.loads((slot / KEY).read_text(encoding="utf-8"))
    if kept.get("key") != key or kept.get("files") != [t.name for t in targets]:
        return False
    if not all((slot / target.name).is_file() for target in targets):
        return False
    for target in targets:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(slot / target.name, target)
    return True


def keep(name: str, key: str, targets: list[Path]) -> None:
    slot = _slot(name)
    shutil.rmtree(slot, ignore_errors=True)
    slot.mkdir(parents=True)
    for target in targets:
        shutil.copy2(target, slot / target.name)
    text = json.dumps({"key": key, "files": [t.name for t in targets]})
    (slot / KEY).write_text(text + "\n", encoding="utf-8")
