"""Pytest collection of the exercise notebooks (see notebooks.py).

The folder snippets/exercises/ is one collector with one item per notebook source,
node ids `snippets/exercises::<name>`. xdist's `--dist loadfile` groups by the part
before `::`, so all notebooks run on one worker, one after another, in one kernel:
TensorFlow is imported once, not once per notebook.

Run a single notebook with `pytest snippets/exercises -k digits`.
An item builds the task notebooks first (a solution code cell without its
instructions stops it before any kernel starts), executes its notebook in the
shared kernel, runs a copy of the German task notebook in a fresh kernel of its own
(the two languages' task notebooks differ only in comments and prose), and only then
writes both language versions: solution and task notebooks and the pages. A failing
cell fails the item, and the item leaves no notebook behind for the build to render.
"""

from __future__ import annotations

import pytest

from spickzettel.core import backends, layout
from spickzettel.verify import cache, notebooks

# A unit found in the verification cache is one item of this name (snippet files)
# or with this suffix (notebooks), which restores what the cached run wrote.
CACHED_ITEM = "cached"
RESTORED = "restored_from_cache"  # user property: the unit and its record entry


def is_cached(nodeid: str) -> bool:
    item = nodeid.rpartition("::")[2]
    return item == CACHED_ITEM or item.endswith(f"-{CACHED_ITEM}")


class NotebookFolder(pytest.Directory):
    def collect(self):
        # docs/<language>/exercises/ is written by these runs alone (never by hand,
        # never committed): a notebook under a name no source writes any more, e.g.
        # the <name>.ipynb of before the task/solution names, would only make the
        # build refuse. Remove it.
        for stray in layout.stray_notebook_files():
            stray.unlink(missing_ok=True)
        for source in notebooks.sources():
            entry = cache.lookup(source)
            if entry is None:
                yield NotebookRun.from_parent(self, name=source.stem, source=source)
            else:
                yield CachedUnit.from_parent(
                    self, name=f"{source.stem}-{CACHED_ITEM}", unit=source, entry=entry
                )


class NotebookRun(pytest.Item):
    def __init__(self, *, source, **kwargs):
        super().__init__(**kwargs)
        self.source = source

    def runtest(self) -> None:
        primary = backends.is_primary()
        if primary:
            notebooks.clear_outputs(self.source)
        notebook = notebooks.read_source(self.source)
        tasks = notebooks.task_versions(notebook, self.source.name)
        notebooks.execute(notebook)
        task = tasks[notebooks.TASK_RUN_LANGUAGE]
        notebooks.run_task(self.source, task)
        if primary:  # the site shows the primary backend's notebooks and figures
            notebooks.write_languages(self.source, notebook, tasks)

    def repr_failure(self, excinfo, style=None):
        error = excinfo.value
        if isinstance(error, (notebooks.TaskMarkupError, notebooks.TaskRunError)):
            return str(error)
        if isinstance(error, notebooks.CellExecutionError):
            return f"{self.source.name}: a cell failed\n{error}"
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.source, None, f"notebook {self.source.name}"


class CachedUnit(pytest.Item):
    """An unchanged unit: restores the files and the record entry of its cached
    run instead of executing it (spickzettel/verify/cache.py)."""

    def __init__(self, *, unit, entry, **kwargs):
        super().__init__(**kwargs)
        self.unit = unit
        self.entry = entry

    def runtest(self) -> None:
        cache.restore(self.unit, layout.unit_outputs(self.unit))
        where = self.unit.relative_to(layout.ROOT).as_posix()
        self.user_properties.append((RESTORED, {"unit": where, "entry": self.entry}))

    def reportinfo(self):
        return self.unit, None, f"{self.unit.name} (restored from the cache)"


class CachedFile(pytest.File):
    """A snippet file found in the cache: one CachedUnit instead of its examples."""

    def __init__(self, *, entry, **kwargs):
        super().__init__(**kwargs)
        self.entry = entry

    def collect(self):
        yield CachedUnit.from_parent(
            self, name=CACHED_ITEM, unit=self.path, entry=self.entry
        )
