"""Place names in an article, for its `places` and `province` front-matter.

Matching is greedy from left to right, longest name first, so a mention never overlaps
another. A county directly after its prefecture or municipality is looked up among that
parent's counties first, so `沈阳市和平区` is in 辽宁 although there are several 和平区.

>>> [(m.name, m.province) for m in find_places("湖北省十堰市张湾区汉江路街道")]
[('湖北省', '湖北'), ('十堰市', '湖北'), ('张湾区', '湖北')]
>>> primary_province("黑龙江省伊春市乌翠区采取到信访窗口轮岗交流")
'黑龙江'
"""

from __future__ import annotations

from dataclasses import dataclass

from site_builder.ingest.gazetteer import Gazetteer, Place, build


@dataclass(frozen=True)
class PlaceMention:
    name: str  # as written in the text, e.g. "温州市" or "温州"
    canonical: str  # short display name, e.g. "温州"
    province: str  # province short name, e.g. "浙江"
    level: int  # 1 province, 2 prefecture, 3 county
    offset: int  # character offset in the text


# Built once at import (about 10 ms); every call below only reads it.
_GAZETTEER: Gazetteer = build()

# Characters that, before or after a name, make it part of another word:
# 黄河南岸 is not 河南, 洞庭湖北 is not 湖北, 幸福建设 is not 福建, 新乡贤 is not 新乡,
# 确保山区 is not 保山.
_BAD_PREV: dict[str, str] = {
    "河南": "黄淮",
    "河北": "黄淮",
    "湖南": "庭太巢",
    "湖北": "庭太巢",
    "福建": "幸祝造",
    "河源": "黄",
    "保定": "确担",
    "保山": "确担",
}
_BAD_NEXT: dict[str, str] = {
    "河南": "岸",
    "河北": "岸",
    "湖南": "岸",
    "湖北": "岸",
    "新乡": "贤",
    "河源": "头",
}
# A full name whose suffix starts a word with the next character: 大同市场 is 大同 + 市场,
# 中原区域 is 中原 + 区域. The name is then tried without its suffix.
_SUFFIX_WORDS = ("市场", "区域")

# A bare name before these is a street named after the place: 太原街 in Shenyang, 中山路.
_STREETS = ("路", "街", "巷", "大道")
_ADMIN_SUFFIXES = "省市区县州旗盟"
_COMPASS = "东西南北"

# primary_province: a mention this early is the article's own place (its lead sentence).
HEAD_CHARS = 200


def _allowed(text: str, start: int, name: str) -> bool:
    end = start + len(name)
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    # 西北湖区 is the north-west lake area, not 北湖区: a compass word goes on from before.
    if before and name[0] in _COMPASS and before in _COMPASS:
        return False
    if before and before in _BAD_PREV.get(name, ""):
        return False
    if after and after in _BAD_NEXT.get(name, ""):
        return False
    if after and name[-1] + after in _SUFFIX_WORDS:
        return False
    return name[-1] in _ADMIN_SUFFIXES or not text.startswith(_STREETS, end)


def _longest(text: str, start: int, table: dict[str, Place]) -> tuple[str, Place] | None:
    for length in _GAZETTEER.lengths.get(text[start], ()):
        candidate = text[start : start + length]
        place = table.get(candidate)
        if place is not None and len(candidate) == length and _allowed(text, start, candidate):
            return candidate, place
    return None


def find_places(text: str) -> list[PlaceMention]:
    """Every place mention in `text`, in text order, non-overlapping.

    >>> [m.canonical for m in find_places("北京市朝阳区甘露园南路段")]
    ['北京', '朝阳']
    """
    bigrams = _GAZETTEER.bigrams
    mentions: list[PlaceMention] = []
    parent: dict[str, Place] | None = None  # counties of the unit that ended at `end`
    end = 0
    for start in [i for i in range(len(text) - 1) if text[i : i + 2] in bigrams]:
        if start < end:
            continue
        hit = None
        if parent is not None and start == end:
            hit = _longest(text, start, parent)
        if hit is None:
            hit = _longest(text, start, _GAZETTEER.names)
        if hit is not None:
            name, place = hit
            mentions.append(PlaceMention(name, place.canonical, place.province, place.level, start))
            parent = _GAZETTEER.children.get(place.code) if place.level < 3 else None
            end = start + len(name)
    return mentions


def places_and_province(text: str, dateline_place: str | None = None) -> tuple[tuple[str, ...], str | None]:
    """`places_named` and `primary_province` of one text, its names found once."""
    mentions = find_places(text)
    return _named(mentions), _primary(mentions, dateline_place)


def primary_province(text: str, dateline_place: str | None = None) -> str | None:
    """The article's province: the dateline's, else the one it names early and often (an
    early mention counts double), ties to the first named, else None for a national item.

    >>> primary_province("近日，海南绿发投资有限公司职工之家")
    '海南'
    """
    return _primary(find_places(text), dateline_place)


def _primary(mentions: list[PlaceMention], dateline_place: str | None) -> str | None:
    if dateline_place:
        named = find_places(dateline_place)
        if named:
            return named[0].province
    if not mentions:
        return None
    # The place an article is about is the one it names early and often. A name early (its
    # lead) counts double; a bare county name of two characters, which may be part of other
    # words (男子长板 is not 子长), half; ties go to the first named.
    weight: dict[str, float] = {}
    for m in mentions:
        sure = m.level == 1 or len(m.name) >= 3 or m.name[-1] in _ADMIN_SUFFIXES
        weight[m.province] = weight.get(m.province, 0.0) + (2.0 if m.offset < HEAD_CHARS else 1.0) * (1.0 if sure else 0.5)
    best = max(weight.values())
    return next(m.province for m in mentions if weight[m.province] == best)


def places_named(text: str, limit: int = 8) -> tuple[str, ...]:
    """Distinct canonical names of prefectures and counties in first-mention order;
    provinces only when nothing finer is named.

    >>> places_named("浙江省湖州市德清县阜溪街道")
    ('湖州', '德清')
    """
    return _named(find_places(text), limit)


def _named(mentions: list[PlaceMention], limit: int = 8) -> tuple[str, ...]:
    finer = [m.canonical for m in mentions if m.level >= 2]
    chosen = finer or [m.canonical for m in mentions]
    return tuple(dict.fromkeys(chosen))[:limit]
