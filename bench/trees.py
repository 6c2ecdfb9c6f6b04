"""Write a synthetic archive twice — our `content/` tree and a Hugo content tree — and cache it.

`cached_archive(n, seed, cache_dir)` generates once and keeps the result under
`cache_dir/n{n}-seed{seed}-v{GENERATOR_VERSION}/` (`content/`, `hugo-content/`, `archive.json`);
a later call finds it there. A half-written cache (interrupted run) is never used: the
folder is filled under a temporary name and renamed when complete and verified.

    python -m bench.trees --n 100000 --seed 1 --cache bench/cache
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bench.synth import GENERATOR_VERSION, PER_DAY, default_seed_text, generate
from site_builder.frontmatter import dump_article
from site_builder.models import Article
from site_builder.site.content import read_content

CACHE = Path(__file__).resolve().parent / "cache"
# libyaml when present: Hugo's front-matter is ours to format, and 100,000 files add up.
_DUMPER: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass(frozen=True)
class CachedArchive:
    root: Path
    seed: int
    content: Path  # our content/ tree
    hugo_content: Path  # the same articles for Hugo
    articles: int
    days: int
    content_bytes: int
    seconds: float  # time it took to generate, write and verify


def cache_key(n: int, seed: int, per_day: tuple[int, int] = PER_DAY) -> str:
    days = "" if per_day == PER_DAY else f"-d{per_day[0]}-{per_day[1]}"
    return f"n{n}-seed{seed}{days}-v{GENERATOR_VERSION}"


def content_path(article: Article) -> str:
    return f"{article.date:%Y/%m/%d}/{article.id}.md"


def write_content(articles: Iterable[Article], content_dir: Path) -> int:
    """Our tree, through the front-matter contract's own writer; bytes written."""
    return _write_all(content_dir, ((content_path(a), dump_article(a)) for a in articles))


def write_hugo(articles: Iterable[Article], content_dir: Path) -> int:
    """Hugo's tree: same paths and bodies, front-matter Hugo reads (taxonomies days/provinces/authors)."""
    return _write_all(content_dir, ((content_path(a), hugo_page(a, weight)) for a, weight in _weights(articles)))


def hugo_page(article: Article, weight: int) -> str:
    """One Hugo page: YAML front-matter (title, date, weight, taxonomies, params) and the body."""
    fm: dict[str, Any] = {"title": article.title, "date": article.date.isoformat(), "weight": weight,
                          "days": [article.date.isoformat()]}
    if article.province:
        fm["provinces"] = [article.province]
    if article.authors:
        fm["authors"] = list(dict.fromkeys(a.name for a in article.authors))
    params = {"kind": article.kind, "kicker": article.kicker, "subtitle": article.subtitle,
              "column": article.column, "page": article.page, "page_name": article.page_name,
              "dateline": article.dateline, "byline": " ".join(f"{a.role} {a.name}" for a in article.authors),
              "lead": article.summary, "continued_from": article.continued_from}
    fm["params"] = {k: v for k, v in params.items() if v}
    head = yaml.dump(fm, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{head}---\n\n{article.body}\n"


def _weights(articles: Iterable[Article]) -> Iterable[tuple[Article, int]]:
    """Printed order within a day (page, then position) as Hugo's weight."""
    position: dict[tuple[object, int | None], int] = {}
    for article in articles:
        key = (article.date, article.page)
        position[key] = position.get(key, 0) + 1
        yield article, (article.page or 9) * 100 + position[key]


def _write_all(root: Path, files: Iterable[tuple[str, str]]) -> int:
    made: set[Path] = set()
    total = 0
    for rel, text in files:
        target = root / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        data = text.encode("utf-8")
        target.write_bytes(data)
        total += len(data)
    return total


def cached_archive(n: int, seed: int = 1, cache_dir: Path = CACHE, per_day: tuple[int, int] = PER_DAY,
                   hugo: bool = True) -> CachedArchive:
    """The archive of `n` items for `seed`, generated and verified on first use (`hugo`: with
    the Hugo tree of the same articles)."""
    key = cache_key(n, seed, per_day)
    root = cache_dir / key
    meta = root / "archive.json"
    if meta.is_file():
        return _from_meta(root, json.loads(meta.read_text(encoding="utf-8")))
    started = time.perf_counter()
    tmp = cache_dir / f".{key}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    articles = generate(n, seed, default_seed_text(), per_day)
    size = write_content(articles, tmp / "content")
    if hugo:
        write_hugo(articles, tmp / "hugo-content")
    read, problems = read_content(tmp / "content")
    if problems or len(read) != n:
        shutil.rmtree(tmp)
        shown = "\n".join(str(p) for p in problems[:10])
        raise RuntimeError(f"generated archive n={n} seed={seed} is invalid ({len(read)} read):\n{shown}")
    data = {"n": n, "seed": seed, "generator": GENERATOR_VERSION, "articles": len(articles),
            "days": len({a.date for a in articles}), "content_bytes": size,
            "seconds": round(time.perf_counter() - started, 2)}
    (tmp / "archive.json").write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    if root.exists():  # another run finished first: keep its copy
        shutil.rmtree(tmp)
    else:
        tmp.rename(root)
    return _from_meta(root, json.loads(meta.read_text(encoding="utf-8")))


def _from_meta(root: Path, data: dict[str, Any]) -> CachedArchive:
    return CachedArchive(root, int(data["seed"]), root / "content", root / "hugo-content", int(data["articles"]),
                         int(data["days"]), int(data["content_bytes"]), float(data["seconds"]))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.trees", description="generate and cache a synthetic archive")
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--cache", type=Path, default=CACHE)
    p.add_argument("--per-day", default=f"{PER_DAY[0]},{PER_DAY[1]}", help="items a day: LOW,HIGH")
    p.add_argument("--no-hugo", action="store_true", help="without the Hugo tree")
    args = p.parse_args(argv)
    low, high = (int(x) for x in args.per_day.split(","))
    archive = cached_archive(args.n, args.seed, args.cache, (low, high), hugo=not args.no_hugo)
    print(f"{archive.articles} articles, {archive.days} days, {archive.content_bytes / 1e6:.1f} MB "
          f"of content in {archive.root} (generated in {archive.seconds:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
