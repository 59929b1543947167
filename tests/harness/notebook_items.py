"""Pytest collection of the exercise notebooks (see notebooks.py).

The folder snippets/exercises/ is one collector with one item per notebook source,
node ids `snippets/exercises::<name>`. xdist's `--dist loadfile` groups by the part
before `::`, so all notebooks run on one worker, one after another, in one kernel:
TensorFlow is imported once, not once per notebook.

Run a single notebook with `pytest snippets/exercises -k digits`.
An item executes its notebook and writes both language versions. A failing cell
fails the item, and the item leaves no notebook behind for the build to render.
"""

from __future__ import annotations

import pytest

from tests.harness import notebooks


class NotebookFolder(pytest.Directory):
    def collect(self):
        for source in notebooks.sources():
            yield NotebookRun.from_parent(self, name=source.stem, source=source)


class NotebookRun(pytest.Item):
    def __init__(self, *, source, **kwargs):
        super().__init__(**kwargs)
        self.source = source

    def runtest(self) -> None:
        notebooks.clear_outputs(self.source)
        notebook = notebooks.read_source(self.source)
        notebooks.execute(notebook)
        notebooks.write_languages(self.source, notebook)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, notebooks.CellExecutionError):
            return f"{self.source.name}: a cell failed\n{excinfo.value}"
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.source, None, f"notebook {self.source.name}"
