"""The offline zip (spickzettel/downloads/offline.py), read as a file, no browser.

It must hold the whole built site (both languages, every page, the PDFs and every
other download the build wrote) under one folder and nothing from outside site/;
no link in it may lead to a folder (file:// shows a folder as a listing) or to
the file system's root; the home pages in site/ must link it with its real size.
The browser tests (tests/browser/test_offline.py) open it from disk.
"""

from __future__ import annotations

import json
import posixpath
import re
import zipfile
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from spickzettel.core import download_names
from spickzettel.core.paths import SITE
from spickzettel.downloads import offline, pdf

ZIP = SITE / download_names.OFFLINE_ZIP
FOLDER = Path(download_names.OFFLINE_ZIP).stem
# What the offline step adds to the copy of site/ (and nothing else).
ADDED = {offline.SEARCH_SCRIPT, offline.WORKER_IN_SITE}
LINK = re.compile(r'\b(?:href|src)="([^"]*)"')
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# A size as the home pages state it: "4,1 MB" (German), "4.1 MB" (English).
SIZE = re.compile(r"<span data-offline-size>(?P<number>[0-9]+[.,][0-9])\u00a0MB</span>")
ZIP_HREF = re.compile(r'<a data-offline-zip href="(?P<href>[^"]+)" download="[^"]+">')


@cache
def names() -> tuple[str, ...]:
    if not ZIP.is_file():
        pytest.fail(
            f"{ZIP} is missing: run `make build` (mkdocs, spickzettel.downloads.pdf, "
            "spickzettel.downloads.offline) first.",
            pytrace=False,
        )
    with zipfile.ZipFile(ZIP) as archive:
        return tuple(archive.namelist())


def site_files() -> set[str]:
    return {
        path.relative_to(SITE).as_posix()
        for path in SITE.rglob("*")
        if path.is_file() and path.suffix != ".zip"
    }


def in_folder() -> set[str]:
    return {name.removeprefix(f"{FOLDER}/") for name in names()}


def test_everything_lies_in_one_folder_and_comes_from_the_site():
    outside = [name for name in names() if not name.startswith(f"{FOLDER}/")]
    assert not outside, f"entries outside {FOLDER}/: {outside[:5]}"
    unsafe = [name for name in names() if ".." in name.split("/")]
    assert not unsafe, f"entries that climb out of the folder: {unsafe}"
    foreign = in_folder() - site_files() - ADDED
    assert not foreign, f"files not from site/: {sorted(foreign)[:10]}"


def test_it_holds_every_page_and_download_of_both_languages():
    held = in_folder()
    missing = sorted(site_files() - held)
    assert not missing, f"files of site/ missing in the zip: {missing[:10]}"
    assert {"index.html", "en/index.html"} <= held
    assert {sheet.pdf for sheet in pdf.SHEETS} <= held
    notebooks = {name for name in site_files() if name.endswith(".ipynb")}
    assert notebooks, "the built site has no notebooks to download"
    assert notebooks <= held
    assert held >= ADDED


def test_no_link_leads_to_a_folder_or_the_file_systems_root():
    held = in_folder()
    problems = []
    with zipfile.ZipFile(ZIP) as archive:
        for name in names():
            if not name.endswith(".html"):
                continue
            page = name.removeprefix(f"{FOLDER}/")
            text = archive.read(name).decode("utf-8")
            for url in LINK.findall(text):
                if not url or url.startswith("#") or SCHEME.match(url):
                    continue
                path = unquote(urlsplit(url).path)
                if url.startswith("/"):
                    problems.append(f"{page}: {url} (the file system's root)")
                    continue
                if not path:
                    continue
                target = posixpath.normpath(
                    posixpath.join(posixpath.dirname(page), path)
                )
                if target not in held and (
                    target == "." or f"{target}/index.html" in held
                ):
                    problems.append(f"{page}: {url} (a folder)")
    assert not problems, "\n".join(problems[:20])


def test_search_index_is_a_script_with_file_locations():
    with zipfile.ZipFile(ZIP) as archive:
        script = archive.read(f"{FOLDER}/{offline.SEARCH_SCRIPT}").decode("utf-8")
    assert script.startswith("var __index = {")
    locations = re.findall(r'"location":"([^"]*)"', script)
    assert locations
    folders = [
        loc
        for loc in locations
        if loc == "" or loc.startswith("#") or "/#" in loc or loc.endswith("/")
    ]
    assert not folders, f"search results that open a folder: {folders[:5]}"


def test_the_copys_search_index_is_the_sites_with_file_locations():
    """The copy searches what the site searches (so the browser runs every search
    case on the site, and on the copy in CI): the same documents and settings,
    each location a file where the site's is a folder."""
    with zipfile.ZipFile(ZIP) as archive:
        script = archive.read(f"{FOLDER}/{offline.SEARCH_SCRIPT}").decode("utf-8")
        workers = {
            name.removeprefix(f"{FOLDER}/"): archive.read(name)
            for name in archive.namelist()
            if "/assets/javascripts/workers/" in name
        }
    copy = json.loads(script.removeprefix("var __index = ").rstrip().rstrip(";"))
    site = json.loads((SITE / "search" / "search_index.json").read_text("utf-8"))
    for doc in site["docs"]:
        path, hash_, fragment = doc["location"].partition("#")
        if path == "" or path.endswith("/"):
            doc["location"] = path + "index.html" + hash_ + fragment
    assert copy == site, "the copy's search index is not the site's"
    assert workers, "no search worker in the copy"
    for name, data in workers.items():
        assert data == (SITE / name).read_bytes(), f"{name} differs from the site's"


@pytest.mark.parametrize(
    ("home", "language", "comma"),
    [("index.html", "de", ","), ("en/index.html", "en", ".")],
)
def test_home_page_links_the_zip_with_its_real_size(home, language, comma):
    names()  # fails with a message if the zip is missing
    text = (SITE / home).read_text(encoding="utf-8")
    link = ZIP_HREF.search(text)
    assert link, f"site/{home} does not link the offline zip"
    assert (SITE / home).parent.joinpath(link["href"]).resolve() == ZIP.resolve()
    size = SIZE.search(text)
    assert size, f"site/{home} states no size for the zip"
    number = size["number"]
    assert comma in number, f"{number!r}: {language} decimal separator is {comma!r}"
    stated = float(number.replace(",", ".")) * 1_000_000
    actual = ZIP.stat().st_size
    assert abs(stated - actual) <= 50_000, f"states {number} MB, the zip has {actual}"


def test_offline_home_pages_say_they_are_the_copy():
    with zipfile.ZipFile(ZIP) as archive:
        for home in offline.HOME.values():
            text = archive.read(f"{FOLDER}/{home}").decode("utf-8")
            assert "<p data-offline-copy>" in text, home
            assert "data-offline-zip" not in text, home
            assert download_names.OFFLINE_ZIP not in text, home


@pytest.mark.parametrize(
    ("url", "page", "expected"),
    [
        ("threshold/", "index.html", "threshold/index.html"),
        (
            "../en/threshold/#curves",
            "threshold/index.html",
            "../en/threshold/index.html#curves",
        ),
        ("./", "threshold/index.html", "index.html"),
        ("/en/", "en/index.html", "index.html"),
        ("/", "en/index.html", "../index.html"),
        ("../keras-spickzettel-de.pdf", "cheat-sheet/index.html", None),
        ("https://keras.io/", "index.html", None),
        ("#errata", "index.html", None),
        ("data:image/png;base64,AA", "index.html", None),
    ],
)
def test_link_targets(tmp_path, url, page, expected):
    for folder in ("threshold", "en/threshold", "cheat-sheet", "en"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / "index.html").touch()
    (tmp_path / "index.html").touch()
    (tmp_path / "keras-spickzettel-de.pdf").touch()
    assert offline.link_target(url, tmp_path / page, tmp_path) == expected


def test_refuses_without_a_built_site(tmp_path):
    with pytest.raises(offline.OfflineError, match="mkdocs build"):
        offline.build(tmp_path / "site", tmp_path / "out")


def test_refuses_without_the_pdfs(tmp_path):
    site = tmp_path / "site"
    for name in (*offline.HOME.values(), offline.SEARCH_INDEX):
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text("{}")
    with pytest.raises(offline.OfflineError, match="PDFs are missing"):
        offline.build(site, tmp_path / "out")
    assert not (site / download_names.OFFLINE_ZIP).exists()


def test_size_text_per_language():
    assert offline.size_text(4_104_960, "de") == "4,1\u00a0MB"
    assert offline.size_text(4_104_960, "en") == "4.1\u00a0MB"
