"""Search fixtures: the real content/ built once with the search step, served on 127.0.0.1.

Browser tests use Debian's Chromium; without it they skip locally but fail on CI (CI=true).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from site_builder.search import units as search_units
from site_builder.search.step import SearchReport, SearchStep
from site_builder.site.pipeline import BuildReport, build_site
from site_builder.site.serve import serving

REPO = Path(__file__).resolve().parents[2]
CONTENT = REPO / "content"
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts" / "screenshots"


@dataclass(frozen=True)
class SearchSite:
    root: Path
    build: BuildReport
    search: SearchReport


# Index units of at most this many pages: the seed content (9 + 9 articles in Aug–Sep 2022,
# 10 in Oct 2023) is cut into 2022-08, 2022-09 and 2023, so every search test runs across
# month and year units.
UNIT_PAGES = 10


@pytest.fixture(scope="session")
def search_site(tmp_path_factory: pytest.TempPathFactory) -> SearchSite:
    out = tmp_path_factory.mktemp("search-site") / "public"
    step = SearchStep(quiet=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_units, "MAX_UNIT_PAGES", UNIT_PAGES)
        report = build_site(CONTENT, out, post_render=step)
    assert step.report is not None
    return SearchSite(out, report, step.report)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run on CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium(browser: Any) -> Any:
    return browser


@pytest.fixture(scope="session")
def search_http(search_site: SearchSite) -> Iterator[str]:
    """Root URL of the built site on 127.0.0.1, ending in '/'."""
    with serving(search_site.root) as url:
        yield url
