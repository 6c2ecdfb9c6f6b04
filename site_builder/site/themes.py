"""Where themes live and the order templates are looked up in (no Jinja needed to know it).

Template lookup order (a site can override a single template):
`<content>/../templates/` → `themes/<theme>/templates/` → `themes/default/templates/`.
"""

from __future__ import annotations

from pathlib import Path

THEMES_ROOT = Path(__file__).resolve().parents[2] / "themes"
DEFAULT_THEME = "default"


def theme_dirs(theme: str, themes_root: Path = THEMES_ROOT) -> list[Path]:
    """The theme folders to use, most specific first (the default theme is always last)."""
    dirs = [themes_root / theme]
    if theme != DEFAULT_THEME:
        dirs.append(themes_root / DEFAULT_THEME)
    return dirs


def template_dirs(themes: list[Path], content_dir: Path) -> list[Path]:
    override = content_dir.resolve().parent / "templates"
    dirs = [override] if override.is_dir() else []
    return dirs + [t / "templates" for t in themes]
