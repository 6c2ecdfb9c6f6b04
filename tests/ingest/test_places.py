"""Place detection on sentences from the seed pages (seeds/000, 002, 003, lines joined)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_builder.ingest import gazetteer
from site_builder.ingest.places import find_places, places_named, primary_province

PROVINCE_CASES = [
    ("日前，浙江省温州市总工会主办的“我最善辩”暨机关职工辩论邀请赛总决赛落幕。", "浙江"),
    (
        "今年，温州市总工会享辩俱乐部借助市总工会与市直机关工委深度合作的契机，创新赛制、形式，"
        "联办 16 强赛。",
        "浙江",
    ),
    (
        "近日，在湖北省十堰市张湾区汉江路街道阳光社区党群服务中心，片区协警韩阳开心地向记者介绍"
        "工会爱心驿站给自己带来的好处。",
        "湖北",
    ),
    (
        "记者了解到，自 2017 年启动户外劳动者爱心驿站建设工程以来，十堰市按照“统筹规划、科学选址、"
        "优化布局、扩大覆盖”原则，采取自建与共建相结合的方式。",
        "湖北",
    ),
    ("所属路桥公司承办的“缘聚中国铁建 情定千年雄安”集体婚礼在河北雄安新区举行。", "河北"),
    (
        "黑龙江省伊春市乌翠区采取到信访窗口轮岗交流、挂职锻炼、一线服务等举措，多形式、多角度培养"
        "锻炼机关干部。",
        "黑龙江",
    ),
    ("10月26日，贵州省黔西市中等职业学校护理专业的学生在练习婴幼儿护理技术。", "贵州"),
    (
        "日前，在国网江苏省电力公司举办的应急技能比武中获得第一名后，盐城市滨海县供电公司职工"
        "倪永胜感慨道。",
        "江苏",
    ),
    (
        "近日，中国移动通信集团四川有限公司阿坝分公司工作人员在位于小金县的玛嘉沟景区建设5G基站。",
        "四川",
    ),
    ("8 月 14 日中午，负责清扫北京市朝阳区甘露园南路段的何阿姨来到该路段的链家无限壹店。", "北京"),
    ("今天，我们全总机关干部赴辽宁蹲点工作组来到沈阳市和平区太原街街道沈阳站社区。", "辽宁"),
    (
        "近日，经广东省东莞市产业工人队伍建设改革领导小组会议审议通过，《东莞市产业工人队伍建设"
        "改革三年行动计划方案》出台。",
        "广东",
    ),
    ("记者日前从吉林省长春市职工服务中心获悉，该中心在长春市总工会指导下。", "吉林"),
    ("近日，江苏省苏州市总工会打造的“相悦会”线下交友基地正式启用。", "江苏"),
    ("“通过参观学习青岛港‘连钢创新团队’工作室，我们深受感动和鼓舞。”", "山东"),
    ("”近日，在海南绿发投资有限公司职工之家，职工马惠玲对记者说。", "海南"),
    ("8月14日，外来务工人员在浙江省湖州市德清县阜溪街道第三届新居民节上载歌载舞。", "浙江"),
    ("此外，贵州省总与团省委、省妇联在易地扶贫搬迁安置点推进职工志愿服务站项目。", "贵州"),
    ("在遵义、安顺及黔西南州等地，各市州总工会职工服务中心还引进社会资源。", "贵州"),
]

NATIONAL = (
    "（上接第 1版）习近平强调，家庭和睦、家教良好、家风端正，子女才能健康成长，社会才能健康发展。"
    "做好妇女工作，不仅关系妇女自身发展，而且关系家庭和睦、社会和谐，关系国家发展、民族进步。"
    "要讲好家风故事，引导广大妇女发挥在弘扬中华民族传统美德、树立良好家风方面的独特作用，"
    "营造家庭文明新风尚。习近平指出，保障妇女儿童合法权益、促进男女平等和妇女儿童全面发展，"
    "是中国式现代化的重要内容。全国妇联主席谌贻琴代表全国妇联新一届领导班子汇报了中国妇女"
    "十三大的有关情况和下一步工作考虑。"
)

# Ordinary words that naive gazetteers read as 安康, 长治, 扬中, 迁安, 合作, 大同, 海城, 太原.
NOT_PLACES = [
    "中国能源化学地质工会广泛开展“安康杯”竞赛，强化班组现场安全管理",
    "要实现党和国家兴旺发达、长治久安，全党同志必须保持革命精神、革命斗志",
    "引导广大妇女发挥在弘扬中华民族传统美德、树立良好家风方面的独特作用",
    "在易地扶贫搬迁安置点推进职工志愿服务站项目",
    "借助市总工会与市直机关工委深度合作的契机",
    "大同市场",
    "沿海城市",
    "黄河南岸",
    "太原街街道",
    "确保山区群众",
    "新兴平台",
]


@pytest.mark.parametrize(("text", "province"), PROVINCE_CASES)
def test_primary_province(text: str, province: str) -> None:
    assert primary_province(text) == province


def test_national_item_has_no_place() -> None:
    assert find_places(NATIONAL) == []
    assert primary_province(NATIONAL) is None
    assert places_named(NATIONAL) == ()


@pytest.mark.parametrize("text", NOT_PLACES)
def test_ordinary_words_are_not_places(text: str) -> None:
    assert find_places(text) == []


def test_prefecture_then_county_resolves_within_the_prefecture() -> None:
    found = find_places("来到沈阳市和平区太原街街道沈阳站社区")
    assert [(m.name, m.canonical, m.province, m.level) for m in found] == [
        ("沈阳市", "沈阳", "辽宁", 2),
        ("和平区", "和平", "辽宁", 3),
        ("沈阳", "沈阳", "辽宁", 2),
    ]
    assert [m.province for m in find_places("北京市朝阳区甘露园南路段")] == ["北京", "北京"]


def test_ambiguous_county_alone_is_not_a_place() -> None:
    assert find_places("和平区") == []
    assert find_places("朝阳区总工会的干部") == []


def test_canonical_names_and_levels() -> None:
    found = find_places("黑龙江省伊春市乌翠区；贵州省黔西市；河北雄安新区；黔南州独山县")
    assert [(m.canonical, m.level) for m in found] == [
        ("黑龙江", 1),
        ("伊春", 2),
        ("乌翠", 3),
        ("贵州", 1),
        ("黔西", 3),
        ("河北", 1),
        ("雄安", 3),
        ("黔南", 2),
        ("独山", 3),
    ]


def test_autonomous_units_have_short_forms() -> None:
    found = find_places(
        "长白朝鲜族自治县、长白县、黔南布依族苗族自治州、黔南州、黔南、鄂温克族自治旗"
    )
    assert [m.canonical for m in found] == ["长白", "长白", "黔南", "黔南", "黔南", "鄂温克"]


def test_mentions_carry_their_offsets() -> None:
    text = "近日，在湖北省十堰市张湾区汉江路街道"
    assert [(m.name, m.offset) for m in find_places(text)] == [
        ("湖北省", 4),
        ("十堰市", 7),
        ("张湾区", 10),
    ]


def test_dateline_place_wins() -> None:
    text = "（记者赖志凯）今天，北京市首个“首都工匠学院”在北京市总工会职工大学挂牌。"
    assert primary_province("山东省威海市的劳模来京交流", dateline_place="北京") == "北京"
    assert primary_province(text, dateline_place="北京") == "北京"


def test_late_mentions_fall_back_to_the_majority() -> None:
    text = "职工" * 150 + "温州市总工会与杭州、温州两地职工，以及北京的职工"
    assert primary_province(text) == "浙江"


def test_places_named_prefers_prefectures_and_counties() -> None:
    text = "8月14日，外来务工人员在浙江省湖州市德清县阜溪街道第三届新居民节上载歌载舞。"
    assert places_named(text) == ("湖州", "德清")
    assert places_named("近日，在海南绿发投资有限公司职工之家") == ("海南",)
    assert places_named("遵义、安顺及黔西南州等地", limit=2) == ("遵义", "安顺")


def test_gazetteer_keeps_ambiguous_words_out() -> None:
    # (How long it takes to build is a benchmark's business, not a unit test's.)
    built = gazetteer.build()
    assert not set(gazetteer.AMBIGUOUS_SHORT) & set(built.names)
    assert all(len(name) >= 2 for name in built.names)
    assert "县" not in built.names and "合作" not in built.names


_NAMES = sorted(gazetteer.build().names)
_PIECES = st.one_of(
    st.sampled_from(_NAMES),
    st.sampled_from(["市", "区", "县", "省", "场", "域", "街", "，", "的", "总工会", " ", "\n"]),
    st.text(max_size=3),
)


@given(st.lists(_PIECES, max_size=30).map("".join))
def test_find_places_offsets_are_increasing_and_exact(text: str) -> None:
    found = find_places(text)
    ends = -1
    for mention in found:
        assert mention.offset >= ends
        assert text[mention.offset : mention.offset + len(mention.name)] == mention.name
        ends = mention.offset + len(mention.name)
    primary_province(text)
    places_named(text)


def test_a_word_is_no_place_and_the_place_named_often_leads() -> None:
    # 西北湖区 is a lake area to the north-west, not 北湖区 of 郴州 (湖南); 男子长板 is no 子长 (陕西).
    assert [m.province for m in find_places("在千岛湖中心湖区及西北湖区实行禁渔")] == []
    assert primary_province("参赛选手在甲组男子长板的比赛中。比赛在海南省万宁市开赛") == "海南"
    # 淳安县 is named twice, 安徽 once (where a river rises): the article is about 浙江.
    assert primary_province("新安江发源自安徽黄山，注入千岛湖。淳安县投放鱼苗，淳安县环保局发布的月报显示") == "浙江"
