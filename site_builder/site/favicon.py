"""The site's icon at the site root: browsers ask for `/favicon.ico` whatever a page links
(and log a 404 when it is missing), so the theme's `static/favicon.ico` is published there.

Pages link it, and the theme's `static/favicon.svg`, relatively (`base.html`).

>>> root_icon({"static/favicon.ico": Path("t/favicon.ico"), "static/style.css": Path("t/style.css")})
{'favicon.ico': PosixPath('t/favicon.ico'), 'static/style.css': PosixPath('t/style.css')}
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from site_builder.urls import Urls

THEME_ICON = Urls.static("favicon.ico")


def root_icon(statics: Mapping[str, Path]) -> dict[str, Path]:
    """The theme's files by site path, its `favicon.ico` moved to the site root (in order)."""
    moved = {(Urls.favicon if path == THEME_ICON else path): src for path, src in statics.items()}
    return dict(sorted(moved.items()))
