"""What search engines and audits (Lighthouse's SEO and best-practice checks) read
on the built site, held without a browser: the causes, read from site/ with a real
HTML parser (the standard library's html.parser).

- Every page has a description of its own (`<meta name="description">`, from the
  page's front matter), in its language, 120 to 160 characters; no two pages share
  one.
- The canonical link is the page's own absolute URL under site_url.
- sitemap.xml is valid XML and lists every page of both languages once, each with
  its hreflang alternates (every language and x-default) as absolute URLs of built
  pages; robots.txt names it. The head carries no hreflang links (overrides/main.html
  says why): search engines take them from the sitemap.
- No page makes the browser ask for a local file that is not there: every
  stylesheet, script, icon and image it loads exists, and so does the sitemap.xml
  Material's bundle fetches beside every `<link rel="alternate">` (the cause of the
  404 that every page logged before).
- No link text is a bare "mehr", "more", "hier", "here" (Lighthouse: link text
  must say where it leads).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from spickzettel.core import mkdocs_config
from spickzettel.core.paths import LANGUAGES, SITE
from tests.browser.site import Page, built_pages

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML_NS = "{http://www.w3.org/1999/xhtml}"
X_DEFAULT = "x-default"
DESCRIPTION_LENGTH = range(120, 161)
# Link texts that say nothing of where they lead (Lighthouse's list, in part, and
# its German counterparts), compared without case and punctuation.
VAGUE_LINK_TEXTS = {
    "mehr",
    "more",
    "hier",
    "here",
    "click here",
    "hier klicken",
    "learn more",
    "mehr erfahren",
    "read more",
    "weiterlesen",
    "link",
}
# Words that only one of the two languages uses often: a description in German
# uses more of the German ones than of the English ones, and the other way round.
FUNCTION_WORDS = {
    "de": {
        "der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "und",
        "oder", "mit", "auf", "für", "von", "zu", "zum", "zur", "im", "ist", "sie",
        "wie", "was", "welche", "welcher", "jede", "jeder", "je", "als", "auch",
        "bis", "über", "gegen", "nach", "ohne",
    },
    "en": {
        "the", "a", "an", "and", "or", "with", "on", "for", "of", "to", "in",
        "is", "it", "how", "what", "which", "every", "each", "as", "also", "from",
        "against", "after", "without", "its", "one",
    },
}  # fmt: skip
WORD = re.compile(r"[^\W\d_]+")


@dataclass
class Parsed:
    """What one built page says to a crawler, and what it makes the browser load."""

    lang: str | None = None
    meta: dict[str, list[str]] = field(default_factory=dict)
    links: list[dict[str, str]] = field(default_factory=list)  # <link> anywhere
    loads: list[str] = field(default_factory=list)  # script/img/source/iframe src
    anchors: list[tuple[str, str]] = field(default_factory=list)  # (href, text)


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Parsed()
        self._anchor: list | None = None  # [href, text parts] of the open <a>

    def handle_starttag(self, tag, attrs):
        a = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.page.lang = a.get("lang")
        elif tag == "meta" and "name" in a:
            self.page.meta.setdefault(a["name"], []).append(a.get("content", ""))
        elif tag == "link":
            self.page.links.append(a)
        elif tag in ("script", "img", "source", "iframe", "audio", "video") and (
            a.get("src")
        ):
            self.page.loads.append(a["src"])
        elif tag == "a":
            self._anchor = [a.get("href", ""), []]
        elif tag == "img" and self._anchor is not None:
            self._anchor[1].append(a.get("alt", ""))

    def handle_data(self, data):
        if self._anchor is not None:
            self._anchor[1].append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._anchor is not None:
            href, parts = self._anchor
            self.page.anchors.append((href, " ".join("".join(parts).split())))
            self._anchor = None


@cache
def parsed(page: Page) -> Parsed:
    parser = PageParser()
    parser.feed(page.html())
    parser.close()
    return parser.page


@cache
def pages() -> tuple[Page, ...]:
    if not (SITE / "index.html").is_file():
        pytest.fail(
            f"{SITE} holds no built site: run `make build` first", pytrace=False
        )
    return tuple(built_pages())


@cache
def site_url() -> str:
    """mkdocs.yml's site_url as the build saw it (the deploy hands it the real one);
    read once: parsing mkdocs.yml for each of the site's URLs took most of a minute."""
    url = mkdocs_config.load()["site_url"]
    assert url and urlsplit(url).scheme == "https" and url.endswith("/"), url
    return url


def absolute_url(page: Page) -> str:
    return urljoin(site_url(), page.path.lstrip("/"))


def local_file(url: str) -> str | None:
    """The file under site/ that an absolute URL of the site names, or None when
    the URL is not the site's."""
    base = site_url()
    if not url.startswith(base):
        return None
    path = url[len(base) :].split("#")[0].split("?")[0]
    return path + "index.html" if path == "" or path.endswith("/") else path


def exists(path: str) -> bool:
    return (SITE / path).is_file()


def test_every_page_has_a_description_of_its_own_in_its_language():
    problems, seen = [], {}
    for page in pages():
        found = parsed(page).meta.get("description", [])
        if len(found) != 1:
            problems.append(f"{page}: {len(found)} meta descriptions")
            continue
        text = found[0]
        if len(text) not in DESCRIPTION_LENGTH:
            problems.append(f"{page}: description of {len(text)} characters: {text}")
        words = [w.lower() for w in WORD.findall(text)]
        own = sum(w in FUNCTION_WORDS[page.language] for w in words)
        other = max(
            sum(w in FUNCTION_WORDS[lang] for w in words)
            for lang in LANGUAGES
            if lang != page.language
        )
        if own <= other:
            problems.append(f"{page}: description not in {page.language!r}: {text}")
        if text in seen:
            problems.append(f"{page}: same description as {seen[text]}")
        seen.setdefault(text, page)
    assert not problems, "\n".join(problems)


def test_every_page_declares_its_language():
    wrong = [
        f"{page}: lang={parsed(page).lang!r}"
        for page in pages()
        if parsed(page).lang != page.language
    ]
    assert not wrong, "\n".join(wrong)


def test_canonical_link_is_the_pages_own_absolute_url():
    problems = []
    for page in pages():
        canonical = [
            link.get("href", "")
            for link in parsed(page).links
            if link.get("rel") == "canonical"
        ]
        if canonical != [absolute_url(page)]:
            problems.append(f"{page}: canonical {canonical}, not {absolute_url(page)}")
        elif not exists(local_file(canonical[0])):
            problems.append(f"{page}: canonical {canonical[0]} is no built page")
    assert not problems, "\n".join(problems)


def test_hreflang_alternates_are_absolute_urls_of_built_pages():
    """None in the head today (overrides/main.html); if one comes back, it must be
    absolute and lead to a built page."""
    problems = []
    for page in pages():
        for link in parsed(page).links:
            if "hreflang" not in link:
                continue
            target = local_file(link.get("href", ""))
            if target is None or not exists(target):
                problems.append(f"{page}: hreflang link {link}")
    assert not problems, "\n".join(problems)


@cache
def sitemap() -> ET.Element:
    file = SITE / "sitemap.xml"
    assert file.is_file(), f"{file} is missing"
    return ET.parse(file).getroot()  # raises on XML that is not well-formed


def sitemap_entries() -> dict[str, dict[str, str]]:
    """loc -> {hreflang: href} of every <url> in sitemap.xml."""
    root = sitemap()
    assert root.tag == f"{SITEMAP_NS}urlset", root.tag
    entries = {}
    for url in root.findall(f"{SITEMAP_NS}url"):
        loc = url.findtext(f"{SITEMAP_NS}loc", "").strip()
        assert loc not in entries, f"sitemap.xml lists {loc} twice"
        entries[loc] = {
            link.get("hreflang"): link.get("href")
            for link in url.findall(f"{XHTML_NS}link")
            if link.get("rel") == "alternate"
        }
    return entries


def test_sitemap_lists_every_page_of_both_languages():
    listed = set(sitemap_entries())
    built = {absolute_url(page) for page in pages()}
    assert listed == built, (
        f"not listed: {sorted(built - listed)}; no page: {sorted(listed - built)}"
    )
    assert {page.language for page in pages()} == set(LANGUAGES)


def test_sitemap_alternates_lead_to_built_pages_in_every_language():
    problems = []
    by_url = {absolute_url(page): page for page in pages()}
    for loc, alternates in sitemap_entries().items():
        page = by_url[loc]
        expected = {
            lang: absolute_url(Page(page.path_in(lang), lang, page.slug))
            for lang in LANGUAGES
        }
        expected[X_DEFAULT] = expected["en"]
        if alternates != expected:
            problems.append(f"{loc}: alternates {alternates}, expected {expected}")
        for href in alternates.values():
            target = local_file(href)
            if target is None or not exists(target):
                problems.append(f"{loc}: alternate {href} is no built page")
    assert not problems, "\n".join(problems)


def test_robots_txt_names_the_sitemap():
    robots = (SITE / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {site_url()}sitemap.xml" in robots.splitlines(), robots


def loaded_resources(page: Page) -> list[str]:
    """Absolute URLs of what loading the page asks the server for: stylesheets,
    icons, preloads, scripts, images; and the sitemap.xml that Material's bundle
    fetches beside each <link rel="alternate"> (integrations/alternate)."""
    base = urljoin(site_url(), page.path.lstrip("/"))
    found = []
    for link in parsed(page).links:
        rels = set(link.get("rel", "").lower().split())
        href = link.get("href")
        if not href:
            continue
        if rels & {"stylesheet", "icon", "preload", "modulepreload", "manifest"}:
            found.append(urljoin(base, href))
        if "alternate" in rels:
            found.append(urljoin(urljoin(base, href), "sitemap.xml"))
    found += [urljoin(base, src) for src in parsed(page).loads]
    return found


def test_no_page_asks_for_a_missing_local_file():
    problems = []
    for page in pages():
        for url in loaded_resources(page):
            if urlsplit(url).scheme in ("data", "blob"):
                continue
            target = local_file(url)
            if target is None:
                problems.append(f"{page}: loads {url}, which is not on this site")
            elif not exists(target):
                problems.append(f"{page}: loads {url}: no file site/{target}")
    assert not problems, "\n".join(problems)


def test_no_link_text_is_vague():
    problems = []
    for page in pages():
        for href, text in parsed(page).anchors:
            words = " ".join(WORD.findall(text.lower()))
            if words in VAGUE_LINK_TEXTS:
                problems.append(f"{page}: link {text!r} to {href}")
    assert not problems, "\n".join(problems)
