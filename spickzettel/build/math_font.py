"""Serves an OpenType MATH font with the site, cut to the glyphs it uses.

Chromium draws MathML well only with a font that has an OpenType MATH table (large
operators, stretchy fences, accent positions); system fonts rarely have one. The
build takes Latin Modern Math from Debian's `fonts-lmodern` (`make install`
installs it; KERAS_SPICKZETTEL_MATH_FONT names another copy of
latinmodern-math.otf), keeps only the glyphs that the site's formulas contain
(with their size variants and stretchy parts, which fontTools keeps through the
MATH table) and writes them as WOFF2 to assets/fonts/, next to the licence.

As the GUST Font License asks of derived fonts, the subset carries its own name,
"Spickzettel Math". overrides/assets/stylesheets/math.css declares it with
`font-display: swap` and sets it on every <math> element.
"""

from __future__ import annotations

import hashlib
import html
import io
import os
import re
import shutil
from pathlib import Path

FAMILY = "Spickzettel Math"
WOFF2 = "assets/fonts/spickzettel-math.woff2"
LM_MATH = Path("/usr/share/texmf/fonts/opentype/public/lm-math/latinmodern-math.otf")
LM_DOCS = Path("/usr/share/texmf/doc/fonts/lm-math")
LICENCE_FILES = ("GUST-FONT-LICENSE.txt", "README-Latin-Modern-Math.txt")
MATH = re.compile(r"<math\b.*?</math>", re.DOTALL)
ANNOTATION = re.compile(r"<annotation\b.*?</annotation>", re.DOTALL)
MI = re.compile(r"<mi>(.)</mi>")
TAG = re.compile(r"<[^>]+>")
# Always in the subset (digits, the commonest operators), whatever the pages hold.
BASE = "0123456789+=()|,. \u2212\u221a"  # U+221A: the radical msqrt draws

_characters: set[str] = set()
_sites: list[Path] = []  # every site_dir built (i18n builds en into site/en)
_subsets: dict[str, bytes] = {}


def source_font() -> Path:
    path = Path(os.environ.get("KERAS_SPICKZETTEL_MATH_FONT", LM_MATH))
    if not path.is_file():
        raise FileNotFoundError(
            f"The math font {path} is missing: `make install` installs Debian's "
            "fonts-lmodern (or set KERAS_SPICKZETTEL_MATH_FONT to a copy of "
            "latinmodern-math.otf)."
        )
    return path


def math_italic(character: str) -> str | None:
    """The Mathematical Italic letter a browser draws for a one-letter <mi>.

    MathML Core (text-transform: math-auto) maps a single-letter identifier to
    its italic code point, so the subset needs that glyph, not the upright one.
    """
    code = ord(character)
    if character == "h":
        return "\u210e"  # Planck constant: the italic h outside the block
    if "A" <= character <= "Z":
        return chr(0x1D434 + code - ord("A"))
    if "a" <= character <= "z":
        return chr(0x1D44E + code - ord("a"))
    if "\u0391" <= character <= "\u03a9":
        return chr(0x1D6E2 + code - 0x0391)
    if "\u03b1" <= character <= "\u03c9":
        return chr(0x1D6FC + code - 0x03B1)
    return None


def characters_in(page_html: str) -> set[str]:
    found = set()
    for formula in MATH.findall(page_html):
        formula = ANNOTATION.sub("", formula)
        for letter in MI.findall(formula):
            italic = math_italic(html.unescape(letter))
            if italic:
                found.add(italic)
        found.update(html.unescape(TAG.sub("", formula)))
    return found


def subset_bytes(source: Path, characters: str) -> bytes:
    """The WOFF2 subset of `source` holding `characters`, renamed to FAMILY."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(source, recalcTimestamp=False)
    options = subset.Options()
    # ssty: the shapes for sub- and superscripts (half the file's glyphs);
    # dtls/flac: dotless i and j and flat accents under an accent.
    options.layout_features = ["ssty", "dtls", "flac"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables += [
        "FFTM"
    ]  # FontForge's timestamps: not needed, not subsettable
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    version = font["name"].getDebugName(5) or ""
    names = font["name"]
    for name_id, value in (
        (1, FAMILY),
        (3, f"{FAMILY}; subset of Latin Modern Math {version}"),
        (4, FAMILY),
        (6, FAMILY.replace(" ", "")),
        (16, FAMILY),
    ):
        for record in list(names.names):
            if record.nameID == name_id:
                record.string = value
    font.flavor = "woff2"  # the subsetter's option does not reach font.save
    buffer = io.BytesIO()
    font.save(buffer, reorderTables=False)
    return buffer.getvalue()


def on_post_page(output, page, config):
    _characters.update(characters_in(output))
    return output


def licence_files(font: Path) -> list[Path]:
    """The licence and readme of the font: Debian's doc folder, or beside the font."""
    found = []
    for name in LICENCE_FILES:
        for folder in (LM_DOCS, font.parent):
            if (folder / name).is_file():
                found.append(folder / name)
                break
    if not found:
        raise FileNotFoundError(
            f"No licence for {font}: expected {LICENCE_FILES[0]} in {LM_DOCS} "
            "or beside the font."
        )
    return found


def on_post_build(config):
    site = Path(config.site_dir)
    if site not in _sites:
        _sites.append(site)
    font = source_font()
    characters = "".join(sorted(_characters | set(BASE)))
    key = hashlib.sha256(characters.encode()).hexdigest()
    if key not in _subsets:  # i18n builds twice; `mkdocs serve` rebuilds often
        _subsets.clear()
        _subsets[key] = subset_bytes(font, characters)
    for root in _sites:  # every language folder gets the same file and licence
        folder = root / Path(WOFF2).parent
        folder.mkdir(parents=True, exist_ok=True)
        (root / WOFF2).write_bytes(_subsets[key])
        for licence in licence_files(font):
            shutil.copyfile(licence, folder / licence.name)
