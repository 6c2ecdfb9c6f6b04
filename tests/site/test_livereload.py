"""What `serve` sends: pages with the live-reload script added (the files as they are on
disk), the script itself from the same origin, and the preview's state as Server-Sent Events."""

from __future__ import annotations

import functools
import http.client
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

import pytest

from site_builder.site.livereload import EVENTS, SCRIPT, Broadcast, QuietLiveHandler, inject, script_tag
from site_builder.site.serve import listening

PAGE = "2023/10/31/20231031-3f9a2c1e.html"


@pytest.fixture
def served(site: Path) -> Iterator[tuple[str, Broadcast]]:
    broadcast = Broadcast()
    handler = functools.partial(QuietLiveHandler, broadcast=broadcast, directory=str(site))
    with listening(site, 0, handler) as root:
        yield root, broadcast
        broadcast.close()


def _get(url: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    try:
        with urlopen(Request(url, method=method), timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_a_page_is_served_with_the_script_and_kept_without_it(site: Path, served: tuple[str, Broadcast]) -> None:
    root, broadcast = served
    on_disk = (site / PAGE).read_bytes()
    status, headers, body = _get(root + PAGE)
    version = broadcast.current().version
    assert status == 200 and headers["Cache-Control"] == "no-store"
    assert body == on_disk.replace(b"</head>", script_tag(version) + b"</head>", 1)
    assert body.count(SCRIPT.encode()) == 1 and SCRIPT.encode() not in on_disk
    head_status, head_headers, _ = _get(root + PAGE, "HEAD")
    assert head_status == 200 and int(head_headers["Content-Length"]) == len(body)
    # A folder's index page too; a folder named without its '/' is redirected as before.
    assert script_tag(version) in _get(root)[2]
    assert _get(f"{root}2023/10/31/")[2] == inject((site / "2023/10/31/index.html").read_bytes(), version)


def test_other_files_are_served_as_they_are(site: Path, served: tuple[str, Broadcast]) -> None:
    root, _ = served
    for name in ("static/style.css", "feed.xml", "2023/10/31/edition.json"):
        status, _headers, body = _get(root + name)
        assert status == 200 and body == (site / name).read_bytes(), name


def test_the_script_comes_from_the_site_origin(served: tuple[str, Broadcast]) -> None:
    root, _ = served
    status, headers, body = _get(root + SCRIPT.lstrip("/"))
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert b"EventSource" in body and EVENTS.encode() in body


def test_a_missing_page_still_reloads_once_a_build_succeeds(served: tuple[str, Broadcast]) -> None:
    root, broadcast = served
    status, _headers, body = _get(root + "2099/01/01/missing.html")
    assert status == 404 and script_tag(broadcast.current().version) in body


def test_the_events_tell_every_change_of_state(served: tuple[str, Broadcast]) -> None:
    root, broadcast = served
    url = urlsplit(root)
    connection = http.client.HTTPConnection(url.hostname or "", url.port, timeout=10)
    connection.request("GET", EVENTS)
    response = connection.getresponse()
    assert response.status == 200 and response.headers["Content-Type"] == "text/event-stream"

    def next_state() -> dict[str, object]:
        while not (line := response.readline()).startswith(b"data: "):
            assert line, "the stream ended"
        state: dict[str, object] = json.loads(line.removeprefix(b"data: "))
        return state

    first = next_state()
    assert first == {"version": broadcast.current().version, "headline": "", "problems": []}
    broadcast.failed("构建失败", ["content/x.md:4: unknown key '<b>titel</b>'"])
    assert next_state() == {"version": first["version"], "headline": "构建失败",
                            "problems": ["content/x.md:4: unknown key '<b>titel</b>'"]}
    broadcast.built()
    fixed = next_state()
    assert fixed["problems"] == [] and fixed["version"] != first["version"]
    broadcast.close()
    assert response.read() == b"\n"  # (the last event's blank line) the stream ends when the preview stops
    connection.close()


@pytest.mark.parametrize(("page", "expected"), [
    (b"<html><HEAD><title>t</title></HEAD><body></body></html>", b"<html><HEAD><title>t</title>TAG</HEAD><body></body></html>"),
    (b"<p>no head</p></body>", b"<p>no head</p>TAG</body>"),
    (b"<p>fragment</p>", b"<p>fragment</p>TAG"),
])
def test_the_script_goes_before_the_end_of_the_head(page: bytes, expected: bytes) -> None:
    assert inject(page, "v.1") == expected.replace(b"TAG", script_tag("v.1"))
