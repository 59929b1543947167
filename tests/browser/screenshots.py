"""Screenshots of every page with a formula, for a reviewer's eyes (`make screenshots`).

    python -m tests.browser.screenshots [--site site] [--out dir] [--only formulas]

Serves the built site as the browser tests do, opens each page holding MathML in
both languages, in the light and the dark colour scheme, at desktop (1280 px) and
phone width (390 px), and writes full-page PNGs named
<page>-<scheme>-<desktop|phone>.png (e.g. en-formulas-dark-phone.png) into the
output folder, which is not committed (.gitignore). Needs Chromium as the browser
tests do (KERAS_SPICKZETTEL_CHROMIUM names another binary).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from spickzettel.core.paths import ROOT, SITE
from spickzettel.downloads import pdf
from spickzettel.tools.static_host import serving

WIDTHS = {"desktop": 1280, "phone": 390}
SCHEMES = ("light", "dark")


def formula_pages(site: Path) -> list[str]:
    """URL paths of the built pages that hold MathML, German first."""
    found = []
    for html in sorted(site.rglob("index.html")):
        if "<math" in html.read_text(encoding="utf-8"):
            path = "/" + html.parent.relative_to(site).as_posix() + "/"
            found.append(path.replace("/./", "/"))
    return sorted(found, key=lambda path: (path.startswith("/en/"), path))


def shoot(site: Path, out: Path, only: str = "") -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with serving(site) as base, sync_playwright() as playwright:
        browser = pdf.launch(playwright)
        for path in [p for p in formula_pages(site) if only in p]:
            name = path.strip("/").replace("/", "-") or "index"
            for scheme in SCHEMES:
                for device, width in WIDTHS.items():
                    context = browser.new_context(
                        color_scheme=scheme,
                        viewport={"width": width, "height": 900},
                    )
                    tab = context.new_page()
                    tab.goto(base + path, wait_until="load")
                    tab.evaluate("document.fonts.ready")
                    target = out / f"{name}-{scheme}-{device}.png"
                    tab.screenshot(path=str(target), full_page=True)
                    written.append(target)
                    context.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, default=SITE)
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--only", default="", help="pages whose path contains this")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        parser.error(f"{args.site} holds no built site: run `make build` first")
    written = shoot(args.site, args.out, args.only)
    print(f"{len(written)} screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
