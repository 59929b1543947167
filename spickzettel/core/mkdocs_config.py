"""mkdocs.yml as the tests and the topic scaffold read it: nav, plugins, titles."""

from __future__ import annotations

import os
from pathlib import Path

import yaml

# paths.MKDOCS_YML; spelled out here because paths itself reads its languages
# through this module.
CONFIG = Path(__file__).resolve().parents[2] / "mkdocs.yml"


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml's custom tags (!relative, !!python/name) as None."""


_AnyTagLoader.add_multi_constructor("", lambda loader, tag, node: None)


def _env(loader: yaml.SafeLoader, node: yaml.Node):
    """MkDocs' `!ENV [NAME, ..., default]`: the first variable set, else the default
    (the site's address, which the deploy workflow hands the build)."""
    if isinstance(node, yaml.ScalarNode):
        return os.environ.get(loader.construct_scalar(node))
    *names, default = loader.construct_sequence(node)
    return next((os.environ[n] for n in names if n in os.environ), default)


_AnyTagLoader.add_constructor("!ENV", _env)


def load(text: str | Path | None = None) -> dict:
    """The configuration in `text` (or that file), or in the project's mkdocs.yml."""
    if text is None:
        text = CONFIG
    if isinstance(text, Path):
        text = text.read_text(encoding="utf-8")
    return yaml.load(text, Loader=_AnyTagLoader)


def plugin(config: dict, name: str) -> dict:
    """The options of one plugin from the `plugins` list."""
    return next(p[name] for p in config["plugins"] if isinstance(p, dict) and name in p)


def _i18n_languages(config: dict) -> list[dict]:
    for options in config.get("plugins", []):
        if isinstance(options, dict) and "i18n" in options:
            return options["i18n"]["languages"]
    return []


def languages(config: dict) -> tuple[str, ...]:
    """The locales the i18n plugin builds, the default language first."""
    found = sorted(_i18n_languages(config), key=lambda lang: not lang.get("default"))
    return tuple(lang["locale"] for lang in found if lang.get("build", True))


def english_titles(config: dict) -> dict[str, str]:
    """The English language's nav_translations of the i18n plugin."""
    for language in _i18n_languages(config):
        if language["locale"] == "en":
            return language.get("nav_translations") or {}
    return {}


def nav_files(items: list) -> list[str]:
    found = []
    for item in items:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            found += nav_files(value)
        else:
            found.append(value)
    return found


def nav_titles(items: list) -> list[str]:
    found = []
    for item in items:
        if isinstance(item, dict):
            title, value = next(iter(item.items()))
            found.append(title)
            if isinstance(value, list):
                found += nav_titles(value)
    return found
