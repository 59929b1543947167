"""What Material's search reads of a page's content tabs.

Material's search indexes a section's text with its inline elements run together,
so the labels of a tab set went into the index as one word: every block with
backend tabs (build/backend_tabs.py, build/figure_tabs.py) added
"TensorFlowJAXPyTorch" to its section's text, shown in the result's preview, and
made each of those sections match a search for "JAX". The labels row of a backend
tab set is therefore left out of the index (Material's `data-search-exclude`;
Material removes the attribute from the page once the page is indexed). Other tab
sets keep their labels, which name what the tabs hold ("Sequential", "Functional",
"Subclassing"), as words: separated by a space, which a flex row does not show.
"""

from __future__ import annotations

import re

from spickzettel.core.backends import LABELS

LABELS_ROW = re.compile(
    r'<div class="tabbed-labels">((?:<label [^>]*>[^<]*</label>)+)</div>'
)
LABEL_TEXT = re.compile(r"<label [^>]*>([^<]*)</label>")
EXCLUDED = '<div class="tabbed-labels" data-search-exclude="backend labels">'


def _row(match: re.Match) -> str:
    labels = match.group(1)
    if set(LABEL_TEXT.findall(labels)) <= set(LABELS.values()):
        return EXCLUDED + labels + "</div>"
    return (
        '<div class="tabbed-labels">'
        + labels.replace("</label><", "</label> <")
        + "</div>"
    )


def on_page_content(html, page, config, files):
    return LABELS_ROW.sub(_row, html)
