"""Search fixtures: the real content/ built once with the search step, served on 127.0.0.1.

Browser tests use Debian's Chromium; without it they skip locally but fail on CI (CI=true).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from site_builder.build.pipeline import BuildReport, build_site
from site_builder.search import SearchReport, SearchStep

REPO = Path(__file__).resolve().parents[2]
CONTENT = REPO / "content"
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts" / "screenshots"


@dataclass(frozen=True)
class SearchSite:
    root: Path
    build: BuildReport
    search: SearchReport


@pytest.fixture(scope="session")
def search_site(tmp_path_factory: pytest.TempPathFactory) -> SearchSite:
    out = tmp_path_factory.mktemp("search-site") / "public"
    step = SearchStep(quiet=True)
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


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 (a free port); its root URL, ending in '/'."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def search_http(search_site: SearchSite) -> Iterator[str]:
    """Root URL of the built site on 127.0.0.1, ending in '/'."""
    with serve(search_site.root) as url:
        yield url
