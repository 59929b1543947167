"""What a search check reads of the site's search: its key in the verdict cache.

A search check pastes a query into Material's search box and reads the pages
listed. What it sees is Material's rendering of the search worker's answer, so it
reads the page with its box (its HTML and what it loads: Material's bundle, the
stylesheets), the worker script, the query and the search index. The index holds
the text of every section of the site: keyed on it, all 400 search checks would
run again after any edit to any page. They are keyed on the worker's answer
instead, and run again when what they would see changes:

- `SearchAnswer(language, query, listed, expected)` is one query's answer as a
  check reads it (search_answers.js, `shown`: none, one or more pages; of each of
  the first `listed` pages the section that scores highest, and whether it is
  marked as the other language; not the sections' texts or the pages after
  those, which the check does not read, nor the scores, which any edit moves a
  little). The same worker script answers it from the same index in Node, as the
  browser's worker does after Material's SETUP. What the
  check expects is part of it too: the tests derive it from the sources and the
  index (search_cases.py), so it is something the check read.
- A check declares these with the page it searches on, as a visit reads it
  (`search_reads`), with `reads(pages=...)` (tests/verdicts.py).

Node answers all of a run's queries at once (`prepare`: one Node per copy and
language, side by side; about 3 s for 400 queries on 2 cores): the answers are
kept in .verified/verdicts/search-answers.<copy>.json under the digest of the
harness, the worker and the index, so an unchanged site asks Node nothing, and the
xdist workers take turns (a lock), so only one of them asks. Without Node an
answer cannot be told: the checks always run.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import shutil
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from spickzettel.core import download_names
from spickzettel.core.paths import SITE
from tests import verdicts
from tests.browser.site import home_path, page_for

HARNESS = Path(__file__).with_name("search_answers.js")
WORKER = "assets/javascripts/search-worker.js"
SITE_INDEX = "search/search_index.json"
OFFLINE_INDEX = "search/search_index.js"  # "var __index = {...};" for file:
OFFLINE_INDEX_PREFIX = "var __index = "
SITE_COPY = "site"
OFFLINE_COPY = "offline"  # the offline zip unzipped, opened from disk (file:)
SERVED_COPY = "served"  # the same folder on a static server: it fetches the JSON
# Material renders this many pages of the list before the reader scrolls.
RENDERED = 10


@dataclass(frozen=True)
class SearchAnswer:
    """A query's answer in `language` as a search check sees it (first `listed`
    pages), with what the check expects of it; in the site or its offline copy."""

    language: str
    query: str
    listed: int = RENDERED
    expected: tuple[str, ...] = ()
    copy: str = SITE_COPY

    def __str__(self) -> str:
        return f"the search's answer to {self.query!r} ({self.language}, {self.copy})"

    @property
    def question(self) -> str:
        return json.dumps([self.language, self.query, self.listed])

    def verdict_digest(self) -> str | None:
        answers = answers_of(self.copy)
        if answers is None:
            return None
        if self.question not in answers.known and self not in _unanswered:
            tell([self])
        answer = answers.known.get(self.question)
        if answer is None:
            return None
        # Not the index (the answer is what the check sees of it); the harness,
        # which decides what of the answer counts.
        parts = [_harness_digest(), self.question, json.dumps(self.expected), answer]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    @classmethod
    def prepare(cls, reads: list[SearchAnswer]) -> None:
        tell(reads)


def search_reads(language: str, *answers: SearchAnswer) -> list:
    """What a search on the home page of `language` reads: the page as a visit
    reads it (tests/verdicts.py), the worker script it starts, and the answers."""
    return [verdicts.Visit(page_for(home_path(language))), SITE / WORKER, *answers]


# ---- the answers of one copy ------------------------------------------------------


class Answers:
    """The worker's answers from one copy's worker and index, kept on disk."""

    def __init__(self, copy: str, worker: str, index: str):
        self.copy = copy
        self.worker = worker
        self.index = index
        digest = hashlib.sha256()
        for part in (HARNESS.read_bytes(), worker.encode(), index.encode()):
            digest.update(hashlib.sha256(part).digest())
        self.inputs = digest.hexdigest()
        self.file = verdicts.VERDICTS / f"search-answers.{copy}.json"
        self.known: dict[str, str] = self._kept()

    def _kept(self) -> dict[str, str]:
        try:
            kept = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return kept["answers"] if kept.get("inputs") == self.inputs else {}

    def ask(self, questions: list[str], shown: bool = False) -> dict:
        """Node's answers to `questions` (their digests; with `shown`, what the
        result list shows of them), or none if it failed."""
        queries = json.dumps([json.loads(question) for question in questions])
        worker = json.dumps(self.worker)
        request = (
            f'{{"worker": {worker}, "queries": {queries}, '
            f'"shown": {json.dumps(shown)}, "index": {self.index}}}'
        )
        done = subprocess.run(
            [shutil.which("node") or "node", str(HARNESS)],
            input=request,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        if done.returncode != 0:
            return {}  # the checks run; they will say what is wrong with search
        return dict(zip(questions, json.loads(done.stdout), strict=True))

    def keep(self) -> None:
        kept = {"inputs": self.inputs, "answers": self.known}
        partial = self.file.with_suffix(".tmp")
        partial.write_text(json.dumps(kept), encoding="utf-8")
        partial.replace(self.file)


def tell(reads: list[SearchAnswer]) -> None:
    """Node answers every query of `reads` not known yet, and they are kept. The
    queries of each copy and language go to a Node of their own, all at once
    (each builds only its language's index, as a reader's page does)."""
    if shutil.which("node") is None:
        return  # no answer can be told: the checks run
    copies = [
        answers
        for answers in map(answers_of, sorted({read.copy for read in reads}))
        if answers is not None
    ]
    with ExitStack() as stack:
        for answers in copies:  # the other xdist worker may be asking too
            answers.file.parent.mkdir(parents=True, exist_ok=True)
            lock = stack.enter_context(open(answers.file.with_suffix(".lock"), "w"))
            fcntl.flock(lock, fcntl.LOCK_EX)
            answers.known.update(answers._kept())
        # Copies with the same worker and index (the zip's index as a script and
        # as JSON) answer alike: one Node per distinct index and language.
        jobs: dict[tuple[str, str], tuple[list[Answers], set[str]]] = {}
        for answers in copies:
            for read in reads:
                if read.copy != answers.copy or read.question in answers.known:
                    continue
                alike, questions = jobs.setdefault(
                    (answers.inputs, read.language), ([], set())
                )
                if answers not in alike:
                    alike.append(answers)
                questions.add(read.question)
        if not jobs:
            return
        with ThreadPoolExecutor(len(jobs)) as pool:
            found = list(
                pool.map(lambda job: job[0][0].ask(sorted(job[1])), jobs.values())
            )
        for (alike, _), answered in zip(jobs.values(), found, strict=True):
            for answers in alike:
                answers.known.update(answered)
        # Not asked again, one Node per key, in this run: those checks just run.
        known = {answers.copy: answers.known for answers in copies}
        _unanswered.update(
            read
            for read in reads
            if read.copy in known and read.question not in known[read.copy]
        )
        for answers in {answers for alike, _ in jobs.values() for answers in alike}:
            answers.keep()


# Reads whose answer Node could not give in this run (it failed).
_unanswered: set[SearchAnswer] = set()


@cache
def _harness_digest() -> str:
    return hashlib.sha256(HARNESS.read_bytes()).hexdigest()


@cache
def answers_of(copy: str) -> Answers | None:
    """The answers of the site (its worker and index) or of its offline zip (the
    same files as its reader unzips them; the index as the script that file:
    loads, or on a static server as the JSON)."""
    try:
        if copy == SITE_COPY:
            worker = (SITE / WORKER).read_text(encoding="utf-8")
            index = (SITE / SITE_INDEX).read_text(encoding="utf-8")
        else:
            with zipfile.ZipFile(SITE / download_names.OFFLINE_ZIP) as archive:
                (folder,) = {name.split("/")[0] for name in archive.namelist()}
                worker = archive.read(f"{folder}/{WORKER}").decode("utf-8")
                name = OFFLINE_INDEX if copy == OFFLINE_COPY else SITE_INDEX
                index = archive.read(f"{folder}/{name}").decode("utf-8").strip()
            if copy == OFFLINE_COPY:
                index = index.removeprefix(OFFLINE_INDEX_PREFIX).removesuffix(";")
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None  # nothing built: the checks run and say so
    return Answers(copy, worker, index)
