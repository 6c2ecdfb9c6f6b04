"""A whole archive built end to end with search, and the day after: one run of each, measured.

    python -m bench.whole --n 400000 --per-day 50,60 --work /tmp/w400   # 20 years of a big paper

Generates the archive (cached, `bench.trees`), builds it with search into `--work/public`,
then rebuilds it with nothing changed, with one article edited and with one edition added.
Prints a Markdown section (for `bench/results.md`): the time and peak memory of each build
(the largest sum over the build's processes and the largest process), the site's files and
bytes, its largest page and largest file.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from bench.measure import Run, measure
from bench.scenarios import ArticleEdit, our_build
from bench.synth import PER_DAY, default_seed_text, next_editions
from bench.trees import CACHE, cached_archive, write_content

MIB = 1 << 20


def site_figures(site: Path) -> tuple[int, int, int, tuple[int, str], tuple[int, str]]:
    """Files, bytes (sizes), bytes on disk (blocks), the largest page and the largest file."""
    files = size = blocks = 0
    page = biggest = (0, "")
    for folder, _, names in os.walk(site):
        for name in names:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            files += 1
            size += st.st_size
            blocks += st.st_blocks * 512
            rel = os.path.relpath(path, site)
            biggest = max(biggest, (st.st_size, rel))
            if name.endswith(".html"):
                page = max(page, (st.st_size, rel))
    return files, size, blocks, page, biggest


def _row(label: str, run: Run) -> str:
    return f"| {label} | {run.seconds:.1f} s | {run.tree_rss / MIB:.0f} MiB ({run.max_rss / MIB:.0f} MiB) |"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.whole", description=__doc__.splitlines()[0] if __doc__ else "")
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--per-day", default=f"{PER_DAY[0]},{PER_DAY[1]}", help="items a day: LOW,HIGH")
    p.add_argument("--cache", type=Path, default=CACHE)
    p.add_argument("--work", type=Path, required=True, help="a folder for the content copy and the site")
    args = p.parse_args(argv)
    low, high = map(int, args.per_day.split(","))
    archive = cached_archive(args.n, args.seed, args.cache, (low, high), hugo=False)
    shutil.rmtree(args.work, ignore_errors=True)
    content, out = args.work / "content", args.work / "public"
    shutil.copytree(archive.content, content, copy_function=os.link)  # (links: the edit below copies its file first)
    build = our_build(content, out, search=True)
    full = measure(build)
    files, size, blocks, page, biggest = site_figures(out)
    noop = measure(build)
    edit = ArticleEdit.pick(content)
    edit.path.unlink()  # (a file of its own, not a link into the cache)
    edit.path.write_bytes(edit.original)
    edit.apply(0)
    edited = measure(build)
    day = next_editions(archive.articles, archive.seed, default_seed_text(), 1)
    write_content(day, content)
    added = measure(build)
    lines = [
        f"## {archive.articles:,} articles, built end to end with search", "",
        f"`python -m bench.whole --n {args.n} --per-day {args.per_day}`: {archive.days:,} editions, "
        f"{archive.content_bytes / 1e9:.2f} GB of Markdown, on {os.cpu_count()} cores.", "",
        "| build | wall | peak memory, tree (largest process) |", "| --- | ---: | ---: |",
        _row("full build with search", full), _row("no-op rebuild", noop),
        _row("one article edited, with search", edited), _row(f"one edition added ({len(day)} articles), with search", added),
        "",
        f"The site: {files:,} files, {size / 1e9:.2f} GB ({blocks / 1e9:.2f} GB on disk); largest page "
        f"`{page[1]}` {page[0] / 1024:.1f} KiB; largest file `{biggest[1]}` {biggest[0] / MIB:.1f} MiB.", "",
    ]
    print("\n".join(lines))
    print(full.stdout.strip().splitlines()[-2] if full.stdout.strip() else "", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
