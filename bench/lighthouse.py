"""`make lighthouse`: Lighthouse's SEO, best-practices, accessibility and performance scores
of the built site's home, edition, article and search pages, served on localhost.

Lighthouse is not a test dependency (it comes from npm): `make lighthouse` installs it in a
scratch folder and runs this; CI checks what Lighthouse flagged with the test tools instead
(tests/site/test_page_heads.py). Debian's Chromium runs it.

    python -m bench.lighthouse --site public --lighthouse /tmp/lh/node_modules/.bin/lighthouse
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from site_builder.site.serve import serving

CATEGORIES = ("seo", "best-practices", "accessibility", "performance")
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"
_DAY = re.compile(r"^\d{4}/\d{2}/\d{2}$")


def pages(site: Path) -> dict[str, str]:
    """The four pages measured: home, the newest edition, its first article, search."""
    days = sorted(p.parent.relative_to(site).as_posix() for p in site.glob("*/*/*/index.html"))
    days = [d for d in days if _DAY.match(d)]
    if not days:
        raise SystemExit(f"{site}: no edition pages (build the site first)")
    articles = sorted(p.name for p in (site / days[-1]).glob("*.html") if p.name != "index.html")
    chosen = {"home": "index.html", "edition": f"{days[-1]}/index.html", "search": "search/index.html"}
    if articles:
        chosen["article"] = f"{days[-1]}/{articles[0]}"
    return chosen


def run(lighthouse: str, url: str) -> tuple[dict[str, int], list[str]]:
    """Scores (0–100) per category, and the audits under 1 that carry weight."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run(
            [lighthouse, url, "--quiet", "--output=json", f"--output-path={report}",
             f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"],
            check=True, env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
        )
        data = json.loads(report.read_text(encoding="utf-8"))
    scores = {c: round(100 * (data["categories"][c]["score"] or 0)) for c in CATEGORIES}
    failed = []
    for category in CATEGORIES[:3]:
        for ref in data["categories"][category]["auditRefs"]:
            audit = data["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                failed.append(f"{category}: {ref['id']} — {audit['title']}")
    return scores, failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path("public"))
    parser.add_argument("--lighthouse", default="lighthouse", help="the lighthouse command")
    args = parser.parse_args(argv)
    print("| page | " + " | ".join(CATEGORIES) + " |")
    print("| --- " * (len(CATEGORIES) + 1) + "|")
    problems: list[str] = []
    with serving(args.site) as root:
        for name, path in pages(args.site).items():
            scores, failed = run(args.lighthouse, root + path)
            print(f"| {name} (`{path}`) | " + " | ".join(str(scores[c]) for c in CATEGORIES) + " |", flush=True)
            problems += [f"{name}: {f}" for f in failed]
    for line in problems:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
