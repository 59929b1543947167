"""The whole built site as one zip, for a room without internet (issue 17).

A post-build step: `make build` runs `python -m spickzettel.downloads.offline` after
`mkdocs build --strict` and `python -m spickzettel.downloads.pdf`. It never executes a
snippet; it copies the built site/ (both languages, figures, the math font, the
cheat-sheet PDFs, the notebooks: every download the build wrote, whatever its
name) to build/offline/<name>/ and makes that copy work when opened from disk
(file://.../index.html) as well as from any static server:

- every link to a folder ("threshold/", "../en/", "/") points to its index.html:
  on file:// a folder URL opens a directory listing, not the page;
- search: Material's search reads search/search_index.json with fetch() and runs
  lunr in a Web Worker, both refused on file://. Its bundle reads
  search/search_index.js instead when the page is a file: URL, so the index is
  written there too (its result locations pointing to index.html), and
  assets/javascripts/offline-worker.js (spickzettel/downloads/offline_worker.js, loaded
  before the bundle) runs the worker in a hidden iframe on file: only;
- the home pages say that they are the offline copy where the site links to it.

Why not Material's `offline` plugin (tried on a build of this site, Material
9.8, mkdocs-static-i18n): it inlines the search index the same way, and the
language switcher works with it, but it loads its worker stand-in from
unpkg.com (a request a room without internet cannot make), and it switches off
directory URLs, so the pages move (cheat-sheet/index.html becomes
cheat-sheet.html) and links written in HTML on the pages break: the cheat
sheet's `../keras-spickzettel-de.pdf` then points outside the site. Rewriting the
links of the finished site keeps its layout, its PDFs and notebooks where the
post-build steps wrote them, and needs no second build.

The copy is zipped to site/<download_names.OFFLINE_ZIP> (one folder inside), and the
home pages in site/ get the link and the zip's real size where they carry the
marker `<span data-offline-zip>` (the size goes into `<span data-offline-size>`).

While site/ (but the zip) is unchanged since the zip was made, the kept zip is
put back instead of copying and zipping again, and the step says "reused"
(spickzettel/downloads/reuse.py; FRESH=1 zips again).

The step fails with a message, and exit status 1, when site/ is not built or the
cheat-sheet PDFs are missing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import time
import zipfile
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from spickzettel.core import download_names
from spickzettel.core.paths import LANGUAGES, MKDOCS_YML, ROOT, SITE
from spickzettel.downloads import pdf, reuse

OUT = ROOT / "build" / "offline"
FOLDER = Path(download_names.OFFLINE_ZIP).stem  # the one folder inside the zip
WORKER = Path(__file__).with_name("offline_worker.js")
WORKER_IN_SITE = "assets/javascripts/offline-worker.js"
SEARCH_INDEX = "search/search_index.json"
SEARCH_SCRIPT = "search/search_index.js"  # what Material's bundle loads on file:

# The home page of each language (relative to site/): where the zip is offered.
HOME = {
    language: ("" if i == 0 else f"{language}/") + "index.html"
    for i, language in enumerate(LANGUAGES)
}

# In the offline copy the link to the zip cannot lead anywhere: the paragraph
# that offers it says instead what the reader has in front of them.
OFFLINE_NOTE = {
    "de": "Dies ist die Offline-Kopie dieser Website, beide Sprachen in einem "
    "Ordner: Navigation, Suche, Formeln, Abbildungen, PDFs und Notebooks "
    "funktionieren ohne Internet. Die aktuelle Fassung steht online unter "
    "{url}.",
    "en": "This is the offline copy of this site, both languages in one folder: "
    "navigation, search, formulas, figures, PDFs and notebooks work without "
    "internet. The current version is online at {url}.",
}

ATTRIBUTE = re.compile(r'\b(?P<name>href|src)="(?P<url>[^"]*)"')
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
BUNDLE = re.compile(r'<script src="(?P<prefix>[^"]*)assets/javascripts/bundle\.')
# The marker in docs/{de,en}/index.md, before and after this step filled it in.
ZIP_LINK = re.compile(
    r"<(?P<tag>span|a)\b(?P<attrs>[^>]*\bdata-offline-zip\b[^>]*)>"
    r"(?P<text>.*?)</(?P=tag)>",
    re.S,
)
ZIP_SIZE = re.compile(r"<span data-offline-size>[^<]*</span>")
PARAGRAPH_WITH_LINK = re.compile(r"<p>(?:(?!</p>).)*?\bdata-offline-zip\b.*?</p>", re.S)


class OfflineError(RuntimeError):
    """The offline copy cannot be made; the message says why and what to do."""


def size_text(size: int, language: str) -> str:
    """A file size as a reader reads it: "4,2 MB" in German, "4.2 MB" in English."""
    number = f"{size / 1_000_000:.1f}"
    if language == "de":
        number = number.replace(".", ",")
    return f"{number}\u00a0MB"


def check_built(site: Path) -> None:
    missing = [
        name for name in (*HOME.values(), SEARCH_INDEX) if not (site / name).is_file()
    ]
    if missing:
        raise OfflineError(
            f"{site} is not built (missing: {', '.join(missing)}): run "
            "`python -m mkdocs build --strict` and "
            "`python -m spickzettel.downloads.pdf` first."
        )
    pdfs = [sheet.pdf for sheet in pdf.SHEETS if not (site / sheet.pdf).is_file()]
    if pdfs:
        raise OfflineError(
            f"the cheat-sheet PDFs are missing in {site} ({', '.join(pdfs)}): run "
            "`python -m spickzettel.downloads.pdf` after the build first."
        )


def link_target(url: str, page: Path, root: Path) -> str | None:
    """The rewritten link for one href/src of `page`, or None to keep it.

    A link into the copy that names a folder gets the folder's index.html; a
    site-absolute link ("/en/") becomes relative, since on file:// "/" is the
    file system's root. Links to other hosts, fragments and data: stay as they are.
    """
    if not url or url.startswith(("#", "//")) or SCHEME.match(url):
        return None
    parts = urlsplit(url)
    path = unquote(parts.path)
    if not path:
        return None
    base = root if path.startswith("/") else page.parent
    target = Path(os.path.normpath(base / path.lstrip("/")))
    if root != target and root not in target.parents:
        return None
    if target.is_dir():
        if not (target / "index.html").is_file():
            return None
        target = target / "index.html"
    elif not path.startswith("/"):
        return None
    relative = PurePosixPath(os.path.relpath(target, page.parent)).as_posix()
    rewritten = quote(relative)
    if parts.query:
        rewritten += f"?{parts.query}"
    if parts.fragment:
        rewritten += f"#{parts.fragment}"
    return rewritten


def rewrite_page(page: Path, root: Path) -> int:
    """Point the page's folder links to index.html and load the worker stand-in."""
    text = page.read_text(encoding="utf-8")
    count = 0

    def replace(match: re.Match) -> str:
        nonlocal count
        target = link_target(match["url"], page, root)
        if target is None:
            return match[0]
        count += 1
        return f'{match["name"]}="{target}"'

    text = ATTRIBUTE.sub(replace, text)
    text = BUNDLE.sub(
        lambda match: (
            f'<script src="{match["prefix"]}{WORKER_IN_SITE}"></script>\n' + match[0]
        ),
        text,
        count=1,
    )
    page.write_text(text, encoding="utf-8")
    return count


def search_location(location: str) -> str:
    """A search result's location ("threshold/#x") as a file link."""
    path, hash_, fragment = location.partition("#")
    if path == "" or path.endswith("/"):
        path += "index.html"
    return path + hash_ + fragment


def write_search_script(root: Path) -> None:
    """search/search_index.js: the index as a script, which file:// may load."""
    index = json.loads((root / SEARCH_INDEX).read_text(encoding="utf-8"))
    for doc in index["docs"]:
        doc["location"] = search_location(doc["location"])
    (root / SEARCH_INDEX).write_text(
        json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    (root / SEARCH_SCRIPT).write_text(f"var __index = {data};\n", encoding="utf-8")


def site_url() -> str:
    from spickzettel.core import mkdocs_config

    url = mkdocs_config.load(MKDOCS_YML).get("site_url", "")
    return url.removeprefix("https://").removeprefix("http://").rstrip("/")


def mark_offline_home(root: Path) -> None:
    """In the copy, the paragraph offering the zip says this is the offline copy."""
    for language, home in HOME.items():
        page = root / home
        text = page.read_text(encoding="utf-8")
        note = OFFLINE_NOTE[language].format(url=site_url())
        text, found = PARAGRAPH_WITH_LINK.subn(
            f"<p data-offline-copy>{note}</p>", text, count=1
        )
        if not found:
            raise OfflineError(
                f"{home} has no paragraph with the offline marker "
                "<span data-offline-zip>…</span> (docs/<language>/index.md)"
            )
        page.write_text(text, encoding="utf-8")


def copy_site(site: Path, out: Path) -> Path:
    """site/ to out/<FOLDER>/, without any zip of an earlier run."""
    if out.exists():
        shutil.rmtree(out)
    root = out / FOLDER
    shutil.copytree(site, root, ignore=shutil.ignore_patterns("*.zip"))
    return root


def make_copy(site: Path = SITE, out: Path = OUT) -> Path:
    """The offline copy in out/<FOLDER>/, ready to be zipped."""
    check_built(site)
    root = copy_site(site, out)
    for page in sorted(root.rglob("*.html")):
        rewrite_page(page, root)
    write_search_script(root)
    shutil.copyfile(WORKER, root / WORKER_IN_SITE)
    mark_offline_home(root)
    return root


def write_zip(root: Path, zip_file: Path) -> None:
    partial = zip_file.with_suffix(".zip.partial")
    with zipfile.ZipFile(
        partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9
    ) as archive:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(root.parent).as_posix())
    partial.replace(zip_file)


def offer_zip(site: Path, zip_file: Path) -> None:
    """Link the zip from each home page in site/, with its real size."""
    size = zip_file.stat().st_size
    for language, home in HOME.items():
        page = site / home
        text = page.read_text(encoding="utf-8")
        href = quote(PurePosixPath(os.path.relpath(zip_file, page.parent)).as_posix())
        link = f'<a data-offline-zip href="{href}" download="{zip_file.name}">'
        text, links = ZIP_LINK.subn(
            lambda match, link=link: f"{link}{match['text']}</a>", text, count=1
        )
        text, sizes = ZIP_SIZE.subn(
            f"<span data-offline-size>{size_text(size, language)}</span>",
            text,
            count=1,
        )
        if not (links and sizes):
            raise OfflineError(
                f"{page} has no marker for the offline zip: docs/{language}/"
                "index.md needs <span data-offline-zip>…</span> and "
                "<span data-offline-size></span>"
            )
        page.write_text(text, encoding="utf-8")


reused: list[Path] = []  # the zip build() put back instead of zipping again


def zip_key(site: Path) -> str:
    """What the zip is made of: every file of site/ but a zip (the PDFs and the
    home pages before offer_zip fills in the size included), this step's code and
    worker, and mkdocs.yml (the site's address in the offline note)."""
    files = sorted(
        path for path in site.rglob("*") if path.is_file() and path.suffix != ".zip"
    )
    return reuse.digest(
        Path(__file__),
        WORKER,
        MKDOCS_YML,
        *(path.relative_to(site).as_posix() for path in files),
        *files,
    )


def build(site: Path = SITE, out: Path = OUT) -> Path:
    check_built(site)
    zip_file = site / download_names.OFFLINE_ZIP
    key = zip_key(site)
    if reuse.reuse("offline-zip", key, [zip_file]):
        reused.append(zip_file)
    else:
        root = make_copy(site, out)
        write_zip(root, zip_file)
        reuse.keep("offline-zip", key, [zip_file])
    offer_zip(site, zip_file)
    return zip_file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=SITE, help="the built site")
    parser.add_argument("--out", type=Path, default=OUT, help="the offline copy")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        zip_file = build(args.site, args.out)
    except OfflineError as error:
        print(f"spickzettel.downloads.offline: {error}", file=sys.stderr)
        return 1
    seconds = time.perf_counter() - start
    size = zip_file.stat().st_size
    if zip_file in reused:
        print(
            f"spickzettel.downloads.offline: reused {zip_file} "
            f"({size_text(size, 'en')}, {size:,} bytes): site/ is unchanged since it "
            f"was zipped (FRESH=1 zips again); {seconds:.1f} s"
        )
        return 0
    print(
        f"spickzettel.downloads.offline: wrote {zip_file} ({size_text(size, 'en')}, "
        f"{size:,} bytes) from {args.out / FOLDER} in {seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
