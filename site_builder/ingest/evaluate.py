"""`make eval-ingest`: ingest a folder of raw pages into a scratch folder and measure it.

    python -m site_builder.ingest.evaluate --pages ../shared/real-pages [--gold FILE_OR_CONTENT]

The gold is a gold file (`site_builder.ingest.gold`) or a folder of reviewed articles (the
committed `content/` measures the seed pages). Prints the figures and every miss with its
page and the source lines of the article concerned; exits 1 when the gold cannot be read.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from site_builder.frontmatter import parse_article
from site_builder.ingest.gold import GoldPage, gold_from_articles, read_gold
from site_builder.ingest.pipeline import IngestError, ingest
from site_builder.ingest.score import FIGURES, Score, score
from site_builder.models import Article, Problem


def read_articles(content: Path) -> tuple[list[Article], list[Problem]]:
    """Every article file under `content` (not `_…` or `.…` folders), read back strictly."""
    articles: list[Article] = []
    problems: list[Problem] = []
    for path in sorted(content.rglob("*.md")):
        if any(part.startswith(("_", ".")) for part in path.relative_to(content).parts):
            continue
        article, found = parse_article(path.read_text("utf-8"), str(path))
        problems += found
        if article is not None:
            articles.append(article)
    return articles, problems


def load_gold(path: Path) -> tuple[dict[str, GoldPage], list[Problem]]:
    if path.is_dir():
        articles, problems = read_articles(path)
        return gold_from_articles(articles), problems
    return read_gold(path)


def measure(pages: Path, gold: dict[str, GoldPage], scratch: Path) -> Score:
    """Ingest `pages` into `scratch` (a fresh folder) and score what was written."""
    ingest(pages, scratch)
    articles, _ = read_articles(scratch)
    return score(gold, articles)


def table(result: Score, title: str) -> list[str]:
    n = result.items
    found = result.counts["found"]
    rows = [f"{title}: {n} items", "", "| figure | count | share |", "| --- | ---: | ---: |"]
    for figure in FIGURES:
        count = result.counts[figure]
        if figure in ("merged", "doubled"):
            bad = found - count
            rows.append(f"| {figure} | {bad} | {bad / n:.0%} |" if n else f"| {figure} | {bad} | – |")
        else:
            rows.append(f"| {figure} | {count}/{n} | {result.share(figure):.1%} |")
    rows.append(f"| extra articles (no gold item) | {result.extra} | |")
    return rows


def misses(result: Score) -> list[str]:
    out: list[str] = []
    for figure in (*FIGURES, "extra"):
        found = [m for m in result.misses if m.figure == figure]
        if not found:
            continue
        out += ["", f"{figure} ({len(found)}):"]
        out += [f"  {m.source}  {m.item} → {m.got}" for m in sorted(found, key=lambda m: (m.page, m.source))]
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m site_builder.ingest.evaluate", description=__doc__.split("\n")[0])
    parser.add_argument("--pages", required=True, help="folder of raw pages with their editions.yaml")
    parser.add_argument("--gold", help="gold file, or a folder of reviewed articles (default: PAGES/gold.yaml)")
    parser.add_argument("--scratch", help="content folder to ingest into (default: a temporary folder)")
    args = parser.parse_args(argv)
    pages = Path(args.pages)
    gold, problems = load_gold(Path(args.gold) if args.gold else pages / "gold.yaml")
    errors = [p for p in problems if p.severity == "error"]
    for problem in errors:
        print(problem, file=sys.stderr)
    if errors or not gold:
        print(f"eval-ingest: no usable gold ({len(errors)} error(s))", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="eval-ingest-") as tmp:
        scratch = Path(args.scratch) if args.scratch else Path(tmp) / "content"
        try:
            result = measure(pages, gold, scratch)
        except IngestError as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            return 1
    print("\n".join([*table(result, f"eval-ingest {pages}"), *misses(result)]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
