"""Material's search box runs the site's own search worker.

Material 9.8 names its lunr worker in each page's `__config` ("search": ...).
This hook points that entry to overrides/assets/javascripts/search-worker.js and
adds the page's language (`?lang=en`), so that the worker searches the sections
of the reader's language only (README, "Search"). A page whose `__config` does
not name Material's worker (a Material upgrade changed it) stops the build.
"""

from __future__ import annotations

import re

from mkdocs.exceptions import PluginError

WORKER = re.compile(
    r'"search": "(?P<prefix>[^"]*)assets/javascripts/workers/search\.\w+\.min\.js"'
)
LANG = re.compile(r'<html lang="(?P<lang>[\w-]+)"')
OURS = "assets/javascripts/search-worker.js"


def on_post_page(output, page, config):
    language = LANG.search(output)
    replaced, found = WORKER.subn(
        lambda match: f'"search": "{match["prefix"]}{OURS}?lang={language["lang"]}"',
        output,
    )
    if 'data-md-component="search"' in output and (found != 1 or not language):
        raise PluginError(
            f"{page.file.src_uri}: no Material search worker entry in __config to "
            "replace (overrides/hooks/search_worker.py; did Material change?)"
        )
    return replaced
