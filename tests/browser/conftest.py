"""Fixtures for the browser tests: the built site on a local server, and Chromium.

The site is served from site/ on 127.0.0.1 at a free port; Playwright drives the
system Chromium (Debian's `chromium`; Playwright's own browser download does not
work here). Every page gets a fresh browser context: no cache, no stored tab choice,
so each page is measured and used as by a first-time reader.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from spickzettel.core.paths import SITE
from spickzettel.tools.static_host import serving


@pytest.fixture(scope="session")
def site_url() -> Iterator[str]:
    if not (SITE / "index.html").is_file():
        pytest.fail(
            f"{SITE} holds no built site: run `make build` (or `make test`) first.",
            pytrace=False,
        )
    # Compressed, as the deploy serves it (the page weight counts what travels).
    with serving(SITE) as url:
        yield url
