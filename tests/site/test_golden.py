"""Golden pages: fixture content in, expected HTML out.

Regenerate after an intended change with `UPDATE_GOLDEN=1 pytest tests/build/test_golden.py`
and review the diff in git.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
PAGES = {
    "home.html": "index.html",
    "edition-2022-08-16.html": "2022/08/16/index.html",
    "article-20231031-3f9a2c1e.html": "2023/10/31/20231031-3f9a2c1e.html",
    "article-photo-20220816-e8a05b19.html": "2022/08/16/20220816-e8a05b19.html",
    "region-zhejiang.html": "region/zhejiang/index.html",
    "regions.html": "region/index.html",
    "archive.html": "archive/index.html",
}


def compare_golden(name: str, actual: str, folder: Path = GOLDEN) -> None:
    """Fail with a unified diff when `actual` differs from golden/`name`."""
    path = folder / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"missing golden file {path}; run with UPDATE_GOLDEN=1")
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(
            expected.splitlines(keepends=True), actual.splitlines(keepends=True),
            f"golden/{name}", f"built/{name}", n=2,
        ))
        pytest.fail(f"{name} differs from golden (UPDATE_GOLDEN=1 to accept):\n{diff[:4000]}")


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_matches_golden(site: Path, name: str) -> None:
    compare_golden(name, (site / PAGES[name]).read_text(encoding="utf-8"))


def test_a_difference_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("UPDATE_GOLDEN", raising=False)
    (tmp_path / "x.html").write_text("<p>一</p>\n", encoding="utf-8")
    compare_golden("x.html", "<p>一</p>\n", tmp_path)
    with pytest.raises(pytest.fail.Exception, match="differs from golden"):
        compare_golden("x.html", "<p>二</p>\n", tmp_path)
