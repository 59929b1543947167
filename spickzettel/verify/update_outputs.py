"""Update mode: rewrite stale expected outputs with what the code prints now.

`pytest --update-outputs` (`make refresh`) runs every example as usual. When a
doctest example's output no longer matches what it expects, the example is not
failed: its expected output lines are planned for rewriting, and at the end of the
run the controller process writes them into the Markdown file in place and lists
the files it changed. Only output lines change; prompts, code, fences and prose
are copied through untouched. Examples that pass are left alone, so an ELLIPSIS
(`...`) or a NORMALIZE_WHITESPACE line break that still matches stays as written.

An example that raises an unexpected exception, or whose expected output is a
traceback, is never rewritten: it fails as in a normal run. Without the option
nothing is ever written (`enabled` is False).
"""

from __future__ import annotations

import doctest
import re
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

from sybil.evaluators.doctest import DocTestEvaluator, DocTestRunner, OutputChecker

from spickzettel.core import backends, output_variants

# Set by the pytest option --update-outputs (spickzettel/verify/pytest_plugin.py).
enabled = False
PROPERTY = "output_update"  # key under which a planned rewrite travels in a report
_PROMPT = re.compile(r"^[ \t]*(>>>|\.\.\.)")


@dataclass(frozen=True)
class OutputUpdate:
    """One example's text in the file, before and after the rewrite."""

    path: str
    line: int
    start: int  # character offsets of the example in the document text
    end: int
    original: str
    replacement: str
    literal: bool  # an ELLIPSIS pattern of the old output was replaced by text


class _RecordingRunner(DocTestRunner):
    """Sybil's runner, keeping what a failed example printed."""

    def run(self, *args, **kwargs):
        self.got = None
        self.flags = self.optionflags
        return super().run(*args, **kwargs)

    def report_failure(self, out, test, example, got):
        self.got = got
        self.flags = self.optionflags  # the example's own directives merged in
        super().report_failure(out, test, example, got)


class OutputUpdatingEvaluator(DocTestEvaluator):
    """Sybil's doctest evaluator; in update mode a stale output is planned for
    rewriting (on the example, as `output_update`) instead of failing."""

    def __init__(self, optionflags: int = 0) -> None:
        super().__init__(optionflags)
        self.runner = _RecordingRunner(optionflags)

    def __call__(self, sybil_example):
        __tracebackhide__ = True
        example = sybil_example.parsed
        sybil_example.parsed = for_backend(example, backends.current())
        try:
            result = super().__call__(sybil_example)
        finally:
            sybil_example.parsed = example
        if not result or not enabled:
            return result
        got = self.runner.got
        if got is None or for_backend(example, backends.current()).exc_msg is not None:
            return (
                f"{result}\n(update mode: exceptions and tracebacks are edited by hand)"
            )
        try:
            sybil_example.output_update = plan(sybil_example, got, self.runner.flags)
        except CannotUpdate as reason:
            return f"{result}\n(update mode: not rewritten: {reason})"
        return None  # rewritten at the end of the run


def for_backend(example: doctest.Example, backend: str) -> doctest.Example:
    """The example with the expected output of `backend` (core/output_variants.py)."""
    if not output_variants.has_variants(example.want):
        return example
    want = output_variants.select(example.want, backend)
    error = doctest.DocTestParser._EXCEPTION_RE.match(want)
    return doctest.Example(
        example.source,
        want,
        exc_msg=error.group("msg") if error else None,
        lineno=example.lineno,
        indent=example.indent,
        options=example.options,
    )


class CannotUpdate(Exception):
    pass


def new_want_lines(want: str, got: str, flags: int) -> tuple[list[str], bool]:
    """Expected-output lines that match `got`, keeping the old lines that still match.

    When old and new output have the same number of lines, each old line that
    still matches its new line (an ellipsis, different spacing) is kept and only the
    others are replaced. Otherwise the new output is taken literally.
    Returns the lines and whether an ellipsis pattern was given up.
    """
    checker = OutputChecker()
    got_lines = [line.rstrip() for line in got.splitlines()]
    literal = [line or "<BLANKLINE>" for line in got_lines]
    for line in literal:
        if _PROMPT.match(line):
            raise CannotUpdate(
                f"the output line {line!r} would read as a prompt; print it differently"
            )
    if not checker.check_output(_joined(literal), got, flags):
        raise CannotUpdate("the literal output does not match itself (doctest flags)")
    want_lines = want.splitlines()
    if len(want_lines) == len(got_lines):
        merged = [
            old if checker.check_output(old + "\n", new + "\n", flags) else fresh
            for old, new, fresh in zip(want_lines, got_lines, literal, strict=True)
        ]
        if checker.check_output(_joined(merged), got, flags):
            return merged, _dropped_ellipsis(want_lines, merged, flags)
    return literal, _dropped_ellipsis(want_lines, literal, flags)


def _joined(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


def _dropped_ellipsis(old: list[str], new: list[str], flags: int) -> bool:
    if not flags & doctest.ELLIPSIS:
        return False
    return any("..." in line for line in old if line not in new)


def plan(sybil_example, got: str, flags: int) -> OutputUpdate:
    """The example's text with its expected output replaced; source lines kept."""
    example = sybil_example.parsed
    text, start = sybil_example.document.text, sybil_example.start
    # Sybil's region end is not usable (it misses the code block's offset): the
    # example spans its source lines and its expected-output lines from `start`.
    n_source = example.source.count("\n")
    n_want = len(example.want.splitlines())
    lines = text[start:].splitlines(keepends=True)[: n_source + n_want]
    source, old_want = lines[:n_source], lines[n_source:]
    first = example.source.splitlines()[0]
    if not (
        source
        and source[0].strip() == f">>> {first}".strip()
        and all(line.lstrip().startswith("...") for line in source[1:])
        and [line.strip() for line in old_want]
        == [line.strip() for line in example.want.splitlines()]
    ):
        raise CannotUpdate("could not locate the example's lines in the file")
    original = "".join(lines)
    indent = source[0][: len(source[0]) - len(source[0].lstrip())]
    backend = backends.current()
    own = output_variants.select(example.want, backend)
    want, literal = new_want_lines(own, got, flags)
    if output_variants.has_variants(example.want) or not backends.is_primary(backend):
        # Another backend's output is declared beside the shared one, never over it.
        want = output_variants.replaced(example.want, backend, want)
    replacement = "".join(source) + "".join(f"{indent}{line}\n" for line in want)
    if not original.endswith("\n"):
        replacement = replacement.removesuffix("\n")
    return OutputUpdate(
        path=str(sybil_example.path),
        line=sybil_example.line,
        start=start,
        end=start + len(original),
        original=original,
        replacement=replacement,
        literal=literal,
    )


def as_property(update: OutputUpdate) -> tuple[str, dict]:
    """A plain (name, dict) pair: pytest-xdist carries it from worker to controller."""
    return PROPERTY, asdict(update)


def from_properties(properties) -> list[OutputUpdate]:
    return [OutputUpdate(**value) for name, value in properties if name == PROPERTY]


def apply(updates: list[OutputUpdate]) -> dict[Path, list[OutputUpdate]]:
    """Write the planned rewrites into their files; returns what changed, per file.

    Files are read the way Sybil read them (universal newlines) and keep their line
    endings. If any file changed on disk during the run, nothing is written at all.
    """
    by_path: dict[Path, dict[int, OutputUpdate]] = defaultdict(dict)
    for update in updates:
        by_path[Path(update.path)][update.start] = update  # xdist may repeat a report
    new_texts = {}
    for path, planned in sorted(by_path.items()):
        raw = path.read_bytes()
        text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        for update in sorted(planned.values(), key=lambda u: u.start, reverse=True):
            if text[update.start : update.end] != update.original:
                raise RuntimeError(
                    f"{path}:{update.line}: the file changed during the run, so no "
                    "file was rewritten. Run the update again."
                )
            text = text[: update.start] + update.replacement + text[update.end :]
        new_texts[path] = (text, "\r\n" if b"\r\n" in raw else "\n")
    for path, (text, newline) in new_texts.items():
        with path.open("w", encoding="utf-8", newline=newline) as file:
            file.write(text)
    return {
        path: sorted(planned.values(), key=lambda u: u.start)
        for path, planned in sorted(by_path.items())
    }
