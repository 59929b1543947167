"""The names of everything a reader can download, defined once.

A file in a learner's download folder must say what it is without the page it came
from: which site (and so which language), which topic, and for an exercise whether
it is the task ("Aufgabe") or the solution ("Lösung"). Every writer of a download
(exercise notebooks, topic notebooks, cheat-sheet PDFs, the offline zip) and every
test that checks one takes its name from here.

    keras-spickzettel-de.pdf                      German cheat sheet (2 A4 pages)
    keras-spickzettel-threshold-de.ipynb          German topic page as a notebook
    keras-spickzettel-digits-aufgabe-de.ipynb     German exercise, task only
    keras-spickzettel-digits-loesung-de.ipynb     German exercise with solutions
    keras-cheat-sheet-digits-task-en.ipynb        English counterparts ...
    keras-spickzettel-offline-de-en.zip           the whole site for file://

Topic and exercise names are the page slugs, the same in both languages, so a
trainer can match a German and an English file at a glance. No umlauts: "loesung",
because not every file system, zip tool and mail filter keeps "ö".
"""

from __future__ import annotations

from typing import Literal

Kind = Literal["task", "solution"]

SITE_NAME = {"de": "keras-spickzettel", "en": "keras-cheat-sheet"}
KIND_WORD = {
    "task": {"de": "aufgabe", "en": "task"},
    "solution": {"de": "loesung", "en": "solution"},
}
# What a link to each kind of download says, per language.
KIND_LABEL = {
    "task": {"de": "Aufgabe (ohne Lösungen)", "en": "Task (no solutions)"},
    "solution": {"de": "Lösung (mit Ausgaben)", "en": "Solution (with outputs)"},
}
DOWNLOAD_SUFFIXES = (".ipynb", ".pdf", ".zip")


def cheat_sheet_pdf(language: str) -> str:
    return f"{SITE_NAME[language]}-{language}.pdf"


def topic_notebook(topic: str, language: str) -> str:
    return f"{SITE_NAME[language]}-{topic}-{language}.ipynb"


def exercise_notebook(exercise: str, language: str, kind: Kind) -> str:
    word = KIND_WORD[kind][language]
    return f"{SITE_NAME[language]}-{exercise}-{word}-{language}.ipynb"


OFFLINE_ZIP = "keras-spickzettel-offline-de-en.zip"
