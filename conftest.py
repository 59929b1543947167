"""pytest at the repository's root: Markdown runs only through the verify command.

The Sybil plugin that executes snippets/ and docs/ (spickzettel/verify/pytest_plugin.py)
is loaded by name where the Markdown is verified (`make verify`, `make refresh`),
never into the tests. A bare `pytest snippets/x.md` would find nothing to collect;
this says which command runs it instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest

PLUGIN = "spickzettel.verify.pytest_plugin"
MARKDOWN_FOLDERS = ("snippets", "docs")


def pytest_configure(config):
    if config.pluginmanager.has_plugin(PLUGIN):
        return
    root = Path(__file__).resolve().parent
    folders = [root / folder for folder in MARKDOWN_FOLDERS]
    here = Path(config.invocation_params.dir)
    markdown = [
        arg
        for arg in config.args
        if any(
            (here / arg.split("::")[0]).resolve().is_relative_to(folder)
            for folder in folders
        )
    ]
    if markdown:
        raise pytest.UsageError(
            f"{' '.join(markdown)}: Markdown is executed by the verify plugin only. "
            f"Run `python -m pytest -p {PLUGIN} {' '.join(markdown)} "
            "-p no:cacheprovider` (one file), or `make verify` (all)."
        )
