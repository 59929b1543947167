"""The page weight table: the browser tests record it, the terminal summary prints it.

Each test_weight_within_budget run stores its page's bytes as a user property;
these hooks collect them from the reports (under xdist on the controller, which
is why tests/conftest.py imports them) and print one table at the end, followed
by the downloads (notebooks, PDFs, the offline zip) with their sizes, which no
page loads by itself.
"""

from __future__ import annotations

from spickzettel.core import download_names
from spickzettel.core.paths import SITE

_weights: dict[str, dict[str, int]] = {}
COLUMNS = ("html", "css", "js", "fonts", "search", "other")


def pytest_runtest_logreport(report):
    for name, value in report.user_properties:
        if name == "weight" and report.when == "call":
            _weights[report.nodeid.rsplit("[", 1)[-1].rstrip("]")] = value


def pytest_terminal_summary(terminalreporter):
    if not _weights:
        return
    write = terminalreporter.write_line
    terminalreporter.section(
        "page weight (kB transferred gzip-compressed, first visit)"
    )
    header = ["page", *COLUMNS, "total", "figures"]
    write(f"{header[0]:<32}" + "".join(f"{h:>9}" for h in header[1:]))
    for path, weight in sorted(_weights.items()):
        cells = [weight.get(column, 0) for column in COLUMNS]
        row = [*cells, sum(cells), weight.get("figures", 0)]
        write(f"{path:<32}" + "".join(f"{size / 1000:>9.1f}" for size in row))
    write_downloads(terminalreporter)


def write_downloads(terminalreporter) -> None:
    """What a reader fetches only by choice: listed apart, not as page weight."""
    files = sorted(
        path
        for path in SITE.rglob("*")
        if path.suffix in download_names.DOWNLOAD_SUFFIXES and path.is_file()
    )
    if not files:
        return
    terminalreporter.section("downloads (kB on disk, not part of any page's weight)")
    names = [path.relative_to(SITE).as_posix() for path in files]
    width = max(map(len, names)) + 2
    for name, path in zip(names, files, strict=True):
        size = path.stat().st_size / 1000
        terminalreporter.write_line(f"{name:<{width}}{size:>9.1f}")
