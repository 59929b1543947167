"""Where everything is, defined once: the repository's folders and its languages.

The package lives at the repository root and is installed in editable mode
(`make install`), so the paths follow this file: a copy of the repository (as the
tooling tests make) works on itself.
"""

from __future__ import annotations

from pathlib import Path

from spickzettel.core import mkdocs_config

ROOT = Path(__file__).resolve().parents[2]
SNIPPETS = ROOT / "snippets"
DOCS = ROOT / "docs"
SITE = ROOT / "site"
# Figures written by snippets/<topic>.md land in docs/figures/<topic>/.
FIGURES = DOCS / "figures"
# Exercise notebooks: one jupytext source per exercise.
EXERCISES = SNIPPETS / "exercises"
VERIFIED = ROOT / ".verified"
MKDOCS_YML = ROOT / "mkdocs.yml"

# The site's languages, default first, as mkdocs.yml's i18n plugin declares them.
LANGUAGES: tuple[str, ...] = mkdocs_config.languages(mkdocs_config.load(MKDOCS_YML))
DEFAULT_LANGUAGE = LANGUAGES[0]
