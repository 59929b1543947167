"""The questions learners ask, answered where a learner looks.

questions/<topic>.toml lists, per topic, questions found in public sources (Q&A
pages, issue threads) with the section that answers them and the words a learner
would type, in German and in English (format: QUESTIONS-FORMAT.md of the brief,
summed up in CONTRIBUTING.md). For every question this test asserts: the source is
an http(s) URL; the anchor exists as a `{ #anchor }` heading on docs/de/<page> and
docs/en/<page>; each word occurs (case-insensitively) in that section's text of
its language. A section is its heading up to the next heading of the same or a
higher level, with the snippet sections it includes pasted in (their code and
expected output), the way the built page shows them. Each topic file holds at
least five questions, and no question is listed twice.

The last tests feed the checker a missing anchor and a missing word: it must
complain, or every other test here would prove nothing.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from spickzettel.core import pages
from spickzettel.core.pages import SNIPPET_INCLUDE
from spickzettel.core.paths import ROOT

QUESTIONS = ROOT / "questions"
MIN_PER_TOPIC = 5
LANGUAGE_WORDS = {"de": "words_de", "en": "words_en"}
URL = re.compile(r"^https?://\S+$")


@dataclass(frozen=True)
class Question:
    file: str  # "fit.toml"
    asked: str
    source: str
    answer: str  # "fit.md#faq-steps"
    words: dict[str, tuple[str, ...]]  # language -> words

    @property
    def page(self) -> str:
        return self.answer.partition("#")[0]

    @property
    def anchor(self) -> str:
        return self.answer.partition("#")[2]

    @property
    def name(self) -> str:
        return f"{self.file}: {self.asked[:60]}"


def question_files() -> list[Path]:
    return sorted(QUESTIONS.glob("*.toml"))


def load(path: Path) -> list[Question]:
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        Question(
            file=path.name,
            asked=entry["asked"],
            source=entry["source"],
            answer=entry["answer"],
            words={
                language: tuple(entry.get(key, ()))
                for language, key in LANGUAGE_WORDS.items()
            },
        )
        for entry in table.get("question", [])
    ]


def all_questions() -> list[Question]:
    return [q for path in question_files() for q in load(path)]


def snippet_text(file: str, section: str | None) -> str:
    """The code and expected output of an included snippet section, read with the
    project's one reader of snippet blocks (spickzettel/core/pages.py)."""
    blocks = pages.snippet_blocks(file)
    return "\n".join(b.code for b in blocks if section is None or b.section == section)


def section_text(markdown: str, anchor: str) -> str | None:
    """The section under the heading `{ #anchor }`, includes expanded; None when no
    heading carries the anchor. A title with a brace of its own ("{'lr': 0.1}")
    counts as none: attr_list then leaves `{ #anchor }` in the text and the built
    page has no such id. Pages hold no code fences of their own (the guard test),
    so every line starting with # is a heading."""
    lines = markdown.splitlines()
    start = level = None
    for i, line in enumerate(lines):
        match = pages.HEADING.match(line)
        if not match:
            continue
        if start is None and match["anchor"] == anchor:
            if "{" in match["title"] or "}" in match["title"]:
                return None  # Markdown's attr_list drops the anchor: no heading
            start, level = i, len(match["level"])
        elif start is not None and len(match["level"]) <= level:
            lines = lines[start:i]
            break
    else:
        if start is None:
            return None
        lines = lines[start:]
    text = "\n".join(lines)
    return SNIPPET_INCLUDE.sub(
        lambda m: snippet_text(m["file"], m["section"]), text + "\n"
    )


def normalised(text: str) -> str:
    """Lower case, Markdown emphasis removed, any run of spaces (line breaks, the
    narrow no-break space of German numbers) as one space."""
    text = text.replace("**", "").replace("\u202f", " ").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).lower()


def problems(question: Question, read=pages.read) -> list[str]:
    found = []
    if not URL.match(question.source):
        found.append(f"source is not an http(s) URL: {question.source!r}")
    if not question.page.endswith(".md") or not question.anchor:
        return [*found, f"answer must be '<page>.md#<anchor>': {question.answer!r}"]
    for language, words in question.words.items():
        if not words:
            found.append(f"no {LANGUAGE_WORDS[language]}")
        text = section_text(read(language, question.page), question.anchor)
        if text is None:
            where = f"docs/{language}/{question.page}"
            found.append(f"{where}: no heading {{ #{question.anchor} }}")
            continue
        body = normalised(text)
        missing = [word for word in words if normalised(word).strip() not in body]
        if missing:
            found.append(
                f"docs/{language}/{question.page}#{question.anchor} lacks {missing}"
            )
    return found


def test_there_are_question_files():
    assert question_files(), "no questions/*.toml"


@pytest.mark.parametrize("question", all_questions(), ids=lambda q: q.name)
def test_question_is_answered_in_both_languages(question):
    found = problems(question)
    assert not found, f"{question.name}:\n  " + "\n  ".join(found)


@pytest.mark.parametrize("path", question_files(), ids=lambda p: p.name)
def test_enough_questions_per_topic(path):
    questions = load(path)
    assert len(questions) >= MIN_PER_TOPIC, (
        f"questions/{path.name}: {len(questions)} question(s), "
        f"at least {MIN_PER_TOPIC} wanted"
    )
    topic = path.stem
    elsewhere = [q.answer for q in questions if not q.page.startswith(topic)]
    assert not elsewhere, (
        f"questions/{path.name} answers on other pages: {elsewhere}; a reader of "
        f"{topic} must reach the answer from {topic}.md"
    )


def test_no_question_is_listed_twice():
    seen: dict[str, str] = {}
    twice = []
    for question in all_questions():
        key = normalised(question.asked).strip()
        if key in seen:
            twice.append(f"{question.asked!r} in {seen[key]} and {question.file}")
        seen.setdefault(key, question.file)
    assert not twice, "listed twice:\n  " + "\n  ".join(twice)


# The checker must fail where it should.

FAKE_PAGE = """# Topic { #topic }

## Common questions { #faq }

### Why? { #faq-why }

Because the validation loss goes up.

### Next { #faq-next }

Another answer, with the word overfitting.
"""


def _fake(words: list[str], answer: str = "topic.md#faq-why") -> Question:
    return Question(
        file="topic.toml",
        asked="Why?",
        source="https://example.org/q/1",
        answer=answer,
        words={"de": tuple(words), "en": tuple(words)},
    )


def _read_fake(language: str, page: str) -> str:
    return FAKE_PAGE


def test_checker_accepts_words_of_the_section():
    assert problems(_fake(["validation loss", "GOES UP"]), _read_fake) == []


def test_checker_fails_on_a_missing_anchor():
    found = problems(_fake(["why"], "topic.md#faq-missing"), _read_fake)
    assert any("no heading { #faq-missing }" in p for p in found), found


def test_checker_fails_on_a_word_outside_the_section():
    # "overfitting" is on the page, but in the next section, not in #faq-why.
    found = problems(_fake(["overfitting"]), _read_fake)
    assert any("lacks ['overfitting']" in p for p in found), found


def test_checker_fails_on_braces_in_the_title():
    page = FAKE_PAGE.replace("### Why? { #faq-why }", "### Why {'lr': 1}? { #faq-why }")
    found = problems(_fake(["validation loss"]), lambda language, name: page)
    assert any("no heading { #faq-why }" in p for p in found), found


def test_checker_fails_on_a_source_that_is_no_url():
    question = Question("t.toml", "Why?", "stackoverflow 123", "topic.md#faq-why", {})
    assert any("not an http(s) URL" in p for p in problems(question, _read_fake))


def test_sections_include_their_snippets():
    # fit.md#faq-steps includes fit.md:faq-steps: its code is part of the section.
    text = section_text(pages.read("en", "fit.md"), "faq-steps")
    assert text is not None and "steps per epoch" in text
