"""Safety fixtures: the fixture content with hostile articles, built once with search, served."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from site_builder.build.pipeline import BuildReport, build_site
from site_builder.search import SearchStep
from tests.safety.hostile import hostile_content


@dataclass(frozen=True)
class HostileSite:
    content: Path
    root: Path
    report: BuildReport


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> HostileSite:
    folder = tmp_path_factory.mktemp("hostile")
    content = hostile_content(folder / "content")
    out = folder / "public"
    report = build_site(content, out, post_render=SearchStep(quiet=True))
    return HostileSite(content, out, report)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def hostile_http(hostile_site: HostileSite) -> Iterator[str]:
    """Root URL of the hostile site on 127.0.0.1 (a free port), ending in '/'."""
    handler = functools.partial(_QuietHandler, directory=str(hostile_site.root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
