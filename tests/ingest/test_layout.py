"""Line roles and headline parts in the forms other papers print them (issue #20, point 1)."""

from __future__ import annotations

import pytest

from site_builder.ingest.extract import extract
from site_builder.ingest.layout import column_label, furniture_kind
from site_builder.ingest.lines import classify
from site_builder.ingest.segment import segment
from site_builder.ingest.titles import clean_headline, split_headline


@pytest.mark.parametrize(("line", "kind"), [
    ("本报太原1月18日电（记者胡健）今天，", "LEAD"),
    ("本报北京9月15日电 （记者赖志凯）今天，北京市首", "LEAD"),
    ("新华社北京10月25日电 （记者王伟）", "LEAD"),
    ("本报讯（记者柳姗姗 彭冰 通讯员谷业", "LEAD"),
    ("新华社记者 江宏景摄", "CREDIT"),
    ("本报通讯员 谢尚国 摄", "CREDIT"),
    ("本报记者 杨明清 张嫱 本报通讯员 堵方涛", "BYLINE"),
    ("（上接第 1版）", "CONT"),
    ("阅 读 提 示", "SUMMARY"),
    ("非凡十年·工会篇 l", "COLUMN"),
    ("l", "STRAY"),
])
def test_furniture_in_its_printed_forms(line: str, kind: str) -> None:
    assert furniture_kind(line) == kind


def test_a_stray_letter_is_no_part_of_a_column_label() -> None:
    assert column_label("非凡十年·工会篇l") == ("非凡十年·工会篇", "l")
    assert column_label("非凡十年·工会篇") == ("非凡十年·工会篇", "")


def test_headline_lines_broken_inside_a_word_or_after_a_count_are_joined() -> None:
    body = "机冶建材系统广泛开展劳动和技能竞赛，一支高素质的产业工人队伍，班组长素质提升"
    assert split_headline(["机冶建材工会多措并举锻造高素", "质产业工人"], body).title == "机冶建材工会多措并举锻造高素质产业工人"
    head = split_headline(["从“搬得出”向“稳得住、能致富”转移", "贵州促进188万", "易地搬迁群众就业"])
    assert (head.kicker, head.title) == ("从“搬得出”向“稳得住、能致富”转移", "贵州促进188万易地搬迁群众就业")
    # A kicker over a title is no broken line, though the text has the phrase across them.
    head = split_headline(["伊春市乌翠区培育综合型服务型机关干部", "下沉一线找短板强本领"], "组织干部下沉一线")
    assert (head.kicker, head.title) == ("伊春市乌翠区培育综合型服务型机关干部", "下沉一线找短板强本领")


def test_kicker_subtitle_and_column_label_by_their_marks() -> None:
    head = split_headline(["蹲点日记", "来到全国首创的社区雷锋学校，我们深刻体会到——", "要让雷锋精神在职工心中落地开花"])
    assert (head.column, head.kicker, head.title) == ("蹲点日记", "来到全国首创的社区雷锋学校，我们深刻体会到——",
                                                     "要让雷锋精神在职工心中落地开花")
    head = split_headline(["劳动和技能竞赛助推能源化学地质产行业大发展", "——5年累计开展2.5万余场次"])
    assert (head.title, head.subtitle) == ("劳动和技能竞赛助推能源化学地质产行业大发展", "——5年累计开展2.5万余场次")

    # Two lines of a block that read the same are two lines (none is dropped).
    head = split_headline(["——5年累计开展2.5万余场次", "——5年累计开展2.5万余场次", "雪中施工保通信"])
    assert (head.kicker, head.title, head.subtitle) == ("——5年累计开展2.5万余场次", "雪中施工保通信",
                                                       "——5年累计开展2.5万余场次")


def test_a_space_between_two_phrases_of_a_headline_stays() -> None:
    assert clean_headline("点击“民心通” 明白又轻松") == "点击“民心通” 明白又轻松"
    assert clean_headline("线上线下互联互通 精准对接职工需求") == "线上线下互联互通 精准对接职工需求"
    assert clean_headline("5年累计开展 2.5万余场次，覆盖职工 1200万人") == "5年累计开展2.5万余场次，覆盖职工1200万人"


def test_a_headline_after_its_text_and_before_a_wider_caption() -> None:
    """The text's last paragraph is closed; the line after it, as wide as the column, ends no
    sentence, and a wider box (a photo caption closed by its credit) starts under it: it is
    a headline (the title of the text above)."""
    page = (
        "线下内容主要是开展走进委员单位系列\n活动，由 5 家发起企业组成一个联合体，根据\n委员单位需求，组织产品走进委员单位开展\n"
        "内购会，为职工提供线下优惠便捷服务。每\n个委员单位每年至少“走进”一次。为职工量\n身定制服务项目，如周末后备箱项目、智能柜\n"
        "项目、中医义诊等。根据项目运行情况，安排\n一定比例的收益用于开展面向困难职工、劳\n模等特殊群体的帮扶、救助和慰问等公益慈\n善活动。\n"
        "中国能源化学地质工会五届一次全委会议召开\n"
        "10月26日，贵州省黔西市中等职业学校护理专业的学生在练习婴幼儿护理技术。近年来，黔西市中等职业\n"
        "学校持续加大对职业教育的资金投入。 本报通讯员 周训超 摄\n"
    )
    kinds = [line.kind for line in classify(tuple(page.split("\n")))]
    assert kinds == ["T"] * 10 + ["H", "T", "CAPTION_END"]


def test_a_news_leads_names_broken_between_two_names_stay_two() -> None:
    """A name has two or three characters: `刘捷` / `顾峰` around a line break are two names;
    `钱` / `茹冰` is one, and `实习` / `生谢迟` breaks a role word."""
    def authors(first: str, second: str) -> list[str]:
        page = (f"{first}\n{second}近日，苏州市总工会打造的“相悦会”线下交友基地正式启用，“相悦会”交友品牌同步发布。\n")
        items = [extract(u) for u in segment(classify(tuple(page.split("\n"))))]
        return [a.name for item in items for a in item.authors]

    assert authors("本报讯（记者王伟 通讯员刘捷", "顾峰）") == ["王伟", "刘捷", "顾峰"]
    assert authors("本报讯（记者黄洪涛 通讯员钱", "茹冰）") == ["黄洪涛", "钱茹冰"]
    assert authors("本报讯（记者叶小钟 通讯员王伟雄实习", "生谢迟）") == ["叶小钟", "王伟雄", "谢迟"]
