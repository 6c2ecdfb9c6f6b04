"""A tile map of China: each province one square at its rough geographic position.

Drawn by the templates as inline SVG, so the map needs no map service and no script.
Columns run west → east, rows north → south.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from site_builder.regions import PROVINCES

# (column, row) of each province on an 8 × 8 grid.
GRID: dict[str, tuple[int, int]] = {
    "黑龙江": (7, 0),
    "内蒙古": (4, 1), "北京": (5, 1), "辽宁": (6, 1), "吉林": (7, 1),
    "新疆": (0, 2), "甘肃": (2, 2), "宁夏": (3, 2), "山西": (4, 2), "河北": (5, 2),
    "天津": (6, 2),
    "青海": (1, 3), "陕西": (3, 3), "河南": (4, 3), "山东": (5, 3), "江苏": (6, 3),
    "西藏": (0, 4), "四川": (2, 4), "重庆": (3, 4), "湖北": (4, 4), "安徽": (5, 4),
    "上海": (7, 4),
    "云南": (2, 5), "贵州": (3, 5), "湖南": (4, 5), "江西": (5, 5), "浙江": (6, 5),
    "广西": (3, 6), "广东": (4, 6), "福建": (5, 6), "台湾": (6, 6),
    "海南": (3, 7), "澳门": (4, 7), "香港": (5, 7),
}

TILE = 64  # px, in the SVG's own coordinates
GAP = 4
LEVELS = 5  # shading steps: 0 = no articles … 4 = the most


@dataclass(frozen=True)
class Tile:
    name: str
    slug: str
    count: int
    level: int
    x: int
    y: int
    size: int = TILE - GAP


def tiles(counts: Mapping[str, int]) -> tuple[Tile, ...]:
    """One tile per province (in the fixed table order), shaded relative to the province
    with the most articles; `counts`: articles per province (short name)."""
    most = max(counts.values(), default=0)
    result = []
    for province in PROVINCES:
        col, row = GRID[province.short]
        count = counts.get(province.short, 0)
        # Ceiling division: any article at all gives at least level 1.
        level = 0 if count == 0 else -(-count * (LEVELS - 1) // most)
        result.append(Tile(province.short, province.slug, count, level, col * TILE, row * TILE))
    return tuple(result)


def viewbox() -> str:
    cols = max(c for c, _ in GRID.values()) + 1
    rows = max(r for _, r in GRID.values()) + 1
    return f"0 0 {cols * TILE - GAP} {rows * TILE - GAP}"
