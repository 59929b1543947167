"""A new topic in one command: `make topic NAME=... TITLE_DE="..." TITLE_EN="..."`.

Creates snippets/<name>.md (a setup section: imports and the seed), docs/de/<name>.md
and docs/en/<name>.md (title and heading anchors, the setup included) and adds the
page to `nav:` in mkdocs.yml with its German title, the English title under
`nav_translations`. The pages' descriptions (front matter) are left for the
author to write: tests/test_seo.py fails until they are. The empty topic passes
the guard and parity tests, the snippet lint and `make build` as it is; then
write the topic.

mkdocs.yml is edited as text, so its comments and layout stay; the result is
parsed again to check that the entries landed where MkDocs will read them.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import yaml

from spickzettel.core import layout, mkdocs_config
from spickzettel.core.paths import ROOT

NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

SNIPPET = """\
# {title_en} — snippets

Code and expected output for docs/de/{name}.md and docs/en/{name}.md.
Every block runs, top to bottom, in one namespace (`make verify`).
Add a section per step: a fenced pycon block between start and end markers
like the ones below, every shown output printed with print().

<!-- --8<-- [start:setup] -->
```pycon
>>> import keras
>>> keras.utils.set_random_seed(42)
```
<!-- --8<-- [end:setup] -->
"""

PAGE = {
    "de": """\
---
# Für Suchmaschinen (<meta name="description">): in 120 bis 160 Zeichen, was diese
# Seite beantwortet; jede Seite eine eigene (tests/test_seo.py).
description: "Noch zu schreiben."
---

# {title} {{ #{name} }}

!!! abstract "Auf einen Blick"

    <!-- Die 3 bis 6 Regeln, für die man diese Seite öffnet, je mit einem Link auf den
    Abschnitt, der sie zeigt (tests/test_parity.py prüft beide Sprachen). -->
    - `import keras`: Keras 3 ist ein eigenes Paket ([Vorbereitung](#setup)).
    - `keras.utils.set_random_seed(42)` macht die Läufe wiederholbar
      ([Vorbereitung](#setup)).
    - Jeder Codeblock dieser Seite ist vom Testlauf ausgeführt ([Vorbereitung](#setup)).

<!-- Einleitung: worum es auf dieser Seite geht, in zwei, drei Sätzen. -->

## Vorbereitung {{ #setup }}

Zuerst die Importe und der Startwert für alle Zufallszahlen:
`keras.utils.set_random_seed` macht Keras-3-Läufe wiederholbar.

--8<-- "{name}.md:setup"
""",
    "en": """\
---
# For search engines (<meta name="description">): in 120 to 160 characters, what
# this page answers; every page one of its own (tests/test_seo.py).
description: "To be written."
---

# {title} {{ #{name} }}

!!! abstract "At a glance"

    <!-- The 3-6 rules a reader opens this page for, each linked to the section
    that shows it (tests/test_parity.py checks both languages). -->
    - `import keras`: Keras 3 is a package of its own ([setup](#setup)).
    - `keras.utils.set_random_seed(42)` makes runs repeatable ([setup](#setup)).
    - Every code block on this page was executed by the test run ([setup](#setup)).

<!-- Introduction: what this page is about, in two or three sentences. -->

## Setup {{ #setup }}

First the imports and the seed for all random numbers:
`keras.utils.set_random_seed` makes Keras 3 runs repeatable.

--8<-- "{name}.md:setup"
""",
}


class ScaffoldError(ValueError):
    pass


def create_topic(
    name: str,
    title_de: str,
    title_en: str,
    section: str | None = None,
    section_en: str | None = None,
    root: Path = ROOT,
) -> list[Path]:
    """Write the three files and the nav entries; returns the paths written."""
    if not NAME.match(name):
        raise ScaffoldError(f"NAME {name!r}: use lower-case words joined by '-'")
    if name == layout.BY_BACKEND:  # docs/figures/by-backend/ holds other backends'
        raise ScaffoldError(f"NAME {name!r} is taken by the other backends' figures")
    for title in (title_de, title_en, section, section_en):
        if title is not None and (not title.strip() or "\n" in title):
            raise ScaffoldError("titles must be one non-empty line each")
    titles = {"de": title_de, "en": title_en}
    snippet = SNIPPET.format(name=name, title_en=title_en)
    files = {root / "snippets" / f"{name}.md": snippet}
    for language, title in titles.items():
        page = PAGE[language].format(name=name, title=title)
        files[root / "docs" / language / f"{name}.md"] = page
    existing = [str(path.relative_to(root)) for path in files if path.exists()]
    if existing:
        raise ScaffoldError(f"already there: {', '.join(existing)}")
    config_path = root / "mkdocs.yml"
    config = add_to_nav(
        config_path.read_text(encoding="utf-8"),
        f"{name}.md",
        title_de,
        title_en,
        section,
        section_en,
    )
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    config_path.write_text(config, encoding="utf-8")
    return [*files, config_path]


# ---- mkdocs.yml, edited as text ----------------------------------------------


def scalar(text: str) -> str:
    """`text` as a YAML scalar: plain where that is safe, else double-quoted."""
    plain = re.fullmatch(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#]*", text)
    if plain and not text.endswith(" ") and yaml.safe_load(text) == text:
        return text
    return json.dumps(text, ensure_ascii=False)


def _block_end(lines: list[str], start: int) -> int:
    """Index after the block of lines indented deeper than lines[start]."""
    depth = _indent(lines[start])
    end = start + 1
    for index in range(start + 1, len(lines)):
        if lines[index].strip() and _indent(lines[index]) <= depth:
            break
        if lines[index].strip():
            end = index + 1
    return end


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _find(lines: list[str], pattern: str, start: int = 0, end: int | None = None):
    regex = re.compile(pattern)
    for index in range(start, len(lines) if end is None else end):
        if regex.match(lines[index]):
            return index
    return None


def add_to_nav(
    text: str,
    page: str,
    title_de: str,
    title_en: str,
    section: str | None,
    section_en: str | None,
) -> str:
    lines = text.splitlines(keepends=True)
    nav = _find(lines, r"^nav:\s*$")
    if nav is None:
        raise ScaffoldError("mkdocs.yml has no top-level `nav:`")
    nav_end = _block_end(lines, nav)
    sections = {
        _unquote(match[2]): index
        for index in range(nav + 1, nav_end)
        if (match := re.match(r"^(\s*)- (.+?):\s*$", lines[index]))
    }
    translations = {}
    if section is None:
        if not sections:
            raise ScaffoldError("the nav has no section; name one with SECTION=...")
        section = list(sections)[-1]  # the last section of the nav
    if section in sections:
        head = sections[section]
        end = _block_end(lines, head)
        children = [i for i in range(head + 1, end) if lines[i].strip()]
        indent = _indent(lines[children[0]]) if children else _indent(lines[head]) + 4
        lines.insert(end, f"{' ' * indent}- {scalar(title_de)}: {page}\n")
    else:
        if not section_en:
            raise ScaffoldError(
                f"no nav section {section!r}: give its English title (SECTION_EN)"
            )
        top = [i for i in range(nav + 1, nav_end) if lines[i].lstrip().startswith("-")]
        indent = _indent(lines[top[0]]) if top else 2
        lines[nav_end:nav_end] = [
            f"{' ' * indent}- {scalar(section)}:\n",
            f"{' ' * (indent + 4)}- {scalar(title_de)}: {page}\n",
        ]
        translations[section] = section_en
    translations[title_de] = title_en
    known = mkdocs_config.english_titles(mkdocs_config.load(text))
    lines = _add_translations(lines, translations, known)
    result = "".join(lines)
    _check(result, page, title_de, title_en, section)
    return result


def _add_translations(
    lines: list[str], translations: dict[str, str], known: dict[str, str]
) -> list[str]:
    head = _find(lines, r"^\s*nav_translations:\s*$")
    if head is None:
        raise ScaffoldError("mkdocs.yml has no `nav_translations:` for English")
    end = _block_end(lines, head)
    indent = " " * (_indent(lines[head]) + 2)
    new = []
    for german, english in translations.items():
        if german in known:
            if known[german] != english:
                raise ScaffoldError(
                    f"{german!r} is already translated as {known[german]!r}"
                )
            continue
        new.append(f"{indent}{scalar(german)}: {scalar(english)}\n")
    lines[end:end] = new
    return lines


def _unquote(text: str) -> str:
    text = text.strip()
    if text[:1] in "\"'":
        return yaml.safe_load(text)
    return text


def _check(text: str, page: str, title_de: str, title_en: str, section: str) -> None:
    config = mkdocs_config.load(text)
    placed = {title_de: page} in _section_items(config["nav"], section)
    if not placed or mkdocs_config.english_titles(config).get(title_de) != title_en:
        raise ScaffoldError("could not add the page to mkdocs.yml; add it by hand")


def _section_items(nav: list, section: str) -> list:
    """The items of every nav section titled `section`, at any depth."""
    found = []
    for item in nav:
        if isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, list):
                    found += value if title == section else []
                    found += _section_items(value, section)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", help="file name without .md, e.g. loss-functions")
    parser.add_argument("--title-de", required=True)
    parser.add_argument("--title-en", required=True)
    parser.add_argument("--section", help="German nav section (default: the last)")
    parser.add_argument("--section-en", help="English title of a new section")
    args = parser.parse_args(argv)
    try:
        written = create_topic(
            args.name,
            args.title_de,
            args.title_en,
            args.section or None,
            args.section_en or None,
        )
    except ScaffoldError as error:
        print(f"make topic: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path.relative_to(ROOT)}")
    print(
        f"Next: write snippets/{args.name}.md and both pages, then `make verify` and "
        "`make build` (see CONTRIBUTING.md)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
