"""`make audit`: Lighthouse over every built page, both languages, as a reader's
phone meets it, and a table of the four scores.

site/ is served compressed, as the deploy serves it (spickzettel/tools/static_host.py),
on 127.0.0.1; Lighthouse (npm, pinned in audit/package.json, installed into
audit/node_modules/ by `make audit`) drives Debian's chromium headless with its
mobile preset (a mid-range phone, simulated slow 4G). No request leaves the host.

The goal is 100 in accessibility, best practices and SEO and at least 95 in
performance on every page. The first three are properties of the HTML and fail
the run when missed. Performance is simulated from a trace recorded on this
machine: on a busy machine (2 shared cores) it drifts by several points between
runs, so a miss is marked in the table but does not fail the run.

    python -m spickzettel.tools.audit                # every page
    python -m spickzettel.tools.audit --only cheat   # paths containing "cheat"
    python -m spickzettel.tools.audit --site /tmp/old-site   # another build

Each page's full report is kept as JSON in build/audit/.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from spickzettel.core.paths import ROOT, SITE
from spickzettel.tools.static_host import serving

LIGHTHOUSE = ROOT / "audit" / "node_modules" / "lighthouse" / "cli" / "index.js"
REPORTS = ROOT / "build" / "audit"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
GOAL = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
# The run fails on these; performance depends on the machine's load.
STRICT = ("accessibility", "best-practices", "seo")
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
# Folders of site/ that hold assets, not pages.
NOT_PAGES = {"assets", "search", "figures"}


def pages(site: Path) -> list[str]:
    """URL paths of every built page, German (the default language) first."""
    found = []
    for index in sorted(site.rglob("index.html")):
        parts = index.parent.relative_to(site).parts
        if parts and parts[0] in NOT_PAGES:
            continue
        found.append("/" + "".join(f"{part}/" for part in parts))
    return sorted(found, key=lambda path: (path.startswith("/en/"), path))


def lighthouse(url: str, report: Path) -> dict:
    """Runs Lighthouse on one URL; returns its JSON report."""
    command = [
        "node",
        str(LIGHTHOUSE),
        url,
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={report}",
        "--quiet",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    env = {**os.environ, "CHROME_PATH": CHROME}
    subprocess.run(command, check=True, env=env)
    return json.loads(report.read_text(encoding="utf-8"))


def scores(report: dict) -> dict[str, int]:
    found = {
        name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES
    }
    # Lighthouse's measure of this machine's speed during the run: performance is
    # simulated from the trace, so a busy machine (a low index) lowers it.
    found["machine"] = round(report["environment"]["benchmarkIndex"])
    return found


def failed_audits(report: dict) -> list[str]:
    """The weighted audits of the strict categories that did not pass fully, and
    the performance metrics below full marks."""
    found = []
    for name in CATEGORIES:
        for ref in report["categories"][name]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                found.append(f"{ref['id']} ({audit['score']:.2f})")
    return found


def table(rows: list[tuple[str, dict[str, int]]]) -> str:
    width = max(len(path) for path, _ in rows)
    header = f"{'page':<{width}}  perf  a11y  best   seo  machine"
    lines = [header, "-" * len(header)]
    for path, score in rows:
        cells = []
        for name in CATEGORIES:
            mark = "*" if score[name] < GOAL[name] else " "
            cells.append(f"{score[name]:>4}{mark}")
        machine = f"{score['machine']:>8}"
        lines.append(f"{path:<{width}} " + " ".join(cells) + machine)
    lines.append(
        "* below the goal (performance >= 95; accessibility, best practices, "
        "SEO = 100).\nmachine: Lighthouse's benchmark index of this machine during "
        "the page's run;\nlower means busier or slower, and performance drops with it."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, default=SITE)
    parser.add_argument("--only", default="", help="pages whose path contains this")
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument("--reports", type=Path, default=REPORTS, help="JSON reports")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        parser.error(f"{args.site} holds no built site: run `make build` first")
    if not LIGHTHOUSE.is_file():
        parser.error("Lighthouse is not installed: run `make audit`")
    args.reports.mkdir(parents=True, exist_ok=True)
    rows, misses = [], []
    with serving(args.site, args.port) as base:
        for path in [p for p in pages(args.site) if args.only in p]:
            name = path.strip("/").replace("/", "-") or "index"
            report = lighthouse(base + path, args.reports / f"{name}.json")
            rows.append((path, scores(report)))
            print(f"{path}: {rows[-1][1]}", file=sys.stderr, flush=True)
            failed = failed_audits(report)
            if failed:
                misses.append(f"{path}: {', '.join(failed)}")
    print(table(rows))
    if misses:
        print("\nAudits below full marks:")
        print("\n".join(misses))
    strict = [p for p, s in rows if any(s[c] < GOAL[c] for c in STRICT)]
    return 1 if strict else 0


if __name__ == "__main__":
    raise SystemExit(main())
