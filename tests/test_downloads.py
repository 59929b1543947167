"""Every download: named by spickzettel/core/download_names.py, present, linked.

Read from the built files, no browser: every link on a page to a notebook, PDF or
zip leads to a file of site/, names it in its `download` attribute, and every such
file of site/ is linked from a page of its language. The set of files is exactly
what core/download_names.py names for this site's languages, topic pages and
exercises, so a learner's download folder tells what each file is (site and
language, topic, Aufgabe/Lösung).
"""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import PurePosixPath

import pytest

from spickzettel.core import download_names
from spickzettel.core.layout import notebook_sources
from spickzettel.core.pages import snippet_includes
from spickzettel.core.paths import DEFAULT_LANGUAGE, DOCS, LANGUAGES, SITE

LINK = re.compile(r"<a\b(?P<attrs>[^>]*)>", re.DOTALL)
HREF = re.compile(r'\bhref="(?P<href>[^"#?]*)[^"]*"')
DOWNLOAD = re.compile(r'\bdownload(?:="(?P<name>[^"]*)")?')


def prefix(language: str) -> str:
    return "" if language == DEFAULT_LANGUAGE else f"{language}/"


def language_of(path: str) -> str:
    first = path.split("/", 1)[0]
    return (
        first if first in LANGUAGES and first != DEFAULT_LANGUAGE else DEFAULT_LANGUAGE
    )


def html_pages() -> list[str]:
    if not (SITE / "index.html").is_file():
        pytest.fail(
            f"{SITE} holds no built site: run `make build` first", pytrace=False
        )
    return sorted(
        path.relative_to(SITE).as_posix()
        for path in SITE.rglob("*.html")
        if path.name == "index.html" and path.relative_to(SITE).parts[0] != "assets"
    )


def download_files() -> dict[str, str]:
    """site-relative path -> language, for every download file in site/."""
    return {
        path.relative_to(SITE).as_posix(): language_of(
            path.relative_to(SITE).as_posix()
        )
        for path in SITE.rglob("*")
        if path.suffix in download_names.DOWNLOAD_SUFFIXES and path.is_file()
    }


def download_links() -> list[tuple[str, str, str | None]]:
    """(page, site-relative target, download attribute) of every download link."""
    links = []
    for page in html_pages():
        text = (SITE / page).read_text(encoding="utf-8")
        for match in LINK.finditer(text):
            href = HREF.search(match["attrs"])
            if href is None:
                continue
            target = html.unescape(href["href"])
            if PurePosixPath(target).suffix not in download_names.DOWNLOAD_SUFFIXES:
                continue
            if "://" in target:
                links.append((page, target, None))
                continue
            resolved = posixpath.normpath(
                posixpath.join(posixpath.dirname(page), target)
                if not target.startswith("/")
                else target.lstrip("/")
            )
            attribute = DOWNLOAD.search(match["attrs"])
            links.append((page, resolved, attribute and (attribute["name"] or "")))
    return links


def topic_pages(language: str) -> list[str]:
    """Slugs of the pages of `language` that show snippet code."""
    return sorted(
        path.stem
        for path in (DOCS / language).glob("*.md")
        if snippet_includes(path.read_text(encoding="utf-8"))
    )


def expected_names(language: str) -> set[str]:
    names = {download_names.cheat_sheet_pdf(language)}
    names |= {
        download_names.topic_notebook(topic, language)
        for topic in topic_pages(language)
    }
    for source in notebook_sources():
        for kind in ("task", "solution"):
            names.add(download_names.exercise_notebook(source.stem, language, kind))
    if language == DEFAULT_LANGUAGE:
        names.add(download_names.OFFLINE_ZIP)  # one zip, both languages, at the root
    return names


def test_every_download_link_leads_to_its_file():
    problems = []
    links = download_links()
    for page, target, attribute in links:
        if "://" in target:
            problems.append(f"{page}: links a download on another host: {target}")
        elif not (SITE / target).is_file():
            problems.append(f"{page}: links {target}, which site/ does not hold")
        elif attribute != PurePosixPath(target).name:
            problems.append(
                f'{page}: the link to {target} has download="{attribute}", '
                f"not the file's name"
            )
    assert links, "no page links any download"
    assert not problems, "\n".join(problems)


def test_every_download_is_linked_from_a_page_of_its_language():
    linked = {(target, language_of(page)) for page, target, _ in download_links()}
    unlinked = [
        path
        for path, language in download_files().items()
        if (path, language) not in linked
    ]
    assert not unlinked, f"downloads no page of their language links: {unlinked}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_downloads_are_exactly_the_named_ones(language):
    present = {
        PurePosixPath(path).name
        for path, lang in download_files().items()
        if lang == language
    }
    expected = expected_names(language)
    assert present == expected, (
        f"{language}: downloads not named by spickzettel/core/download_names.py: "
        f"{sorted(present - expected)}; named there but missing: "
        f"{sorted(expected - present)}"
    )
