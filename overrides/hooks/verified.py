"""MkDocs hook: build only from verified snippets, and stamp every page.

The build never runs a snippet. It reads the record that `make verify` wrote and
stops with a clear message when the record is missing or does not match the
snippets (or the figures, or the exercise notebooks) on disk. Each page then gets
a small stamp, in its own language, saying how many examples behind it were
executed, with which versions, on which date (spickzettel/build/stamp.py).
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from spickzettel.build import stamp

_record: dict = {}


def on_config(config):
    try:
        record = stamp.checked_record()
    except stamp.Refused as error:
        raise PluginError(str(error)) from None
    _record.clear()
    _record.update(record)
    return config


def on_page_markdown(markdown, page, config, files):
    language = page.file.src_uri.split("/", 1)[0]
    return stamp.stamped(_record, markdown, language, Path(page.file.abs_src_path))
