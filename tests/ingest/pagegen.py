"""Build raw pages in other layouts from real articles of the seed pages, for tests that the
ingest follows the structure of newspaper text and not the four samples."""

from __future__ import annotations

from dataclasses import dataclass

from site_builder.ingest.lines import display_width


@dataclass(frozen=True)
class Story:
    kicker: str | None
    title: str
    byline: str | None  # a feature byline line, printed before the body
    paragraphs: tuple[str, ...]
    authors: tuple[tuple[str, str], ...]


# Real articles of the seed pages (000, 002, 003), as printed.
STORIES = (
    Story("伊春市乌翠区培育综合型服务型机关干部", "下沉一线找短板强本领", None, (
        "本报讯（通讯员孙鑫刚）黑龙江省伊春市乌翠区采取到信访窗口轮岗交流、挂职锻炼、一线服务等举措，多形式、多角度培养锻炼机关干部，推动实现干部风险预判能力、矛盾化解能力、服务群众能力“三提升”。",
        "坚持问题导向，在来访接待中增强干部的学习分析能力。乌翠区安排机关干部全流程参与群众来访接待，让干部在与群众的交流中看到自身存在的知识短板，助力干部成长为综合型、服务型人才。",
        "坚持目标导向，在矛盾化解中提高干部的攻坚克难能力。乌翠区聚焦“事要解决”的工作目标，通过案件包联、跟踪推进、事后回访等形式参与信访事项办理工作，进一步拓宽机关干部解决问题的思路、办法。",
    ), (("孙鑫刚", "通讯员"),)),
    Story("福建省人大常委会副主任、省总工会主席庄稼汉提出", "聚合众力让工会品牌可知可感可亲可近", None, (
        "本报讯（记者陈曦）10月27日，福建省总工会召开会议学习宣传贯彻习近平总书记在同全总新一届领导班子成员集体谈话时的重要讲话精神。",
        "会上，福建省总工会党组书记、副主席祝荣亮传达了习近平总书记重要讲话精神以及全总十八届二次主席团会议精神。",
    ), (("陈曦", "记者"),)),
    Story(None, "北京首个“首都工匠学院”挂牌", None, (
        "本报北京9月15日电（记者赖志凯）今天，北京市首个“首都工匠学院”在北京市总工会职工大学挂牌。",
        "在活动现场，大国工匠张嘉和北京大工匠王月鹏分别分享了自己的奋斗故事，全国劳动模范陶建伟代表职工匠师宣读了倡议书。",
    ), (("赖志凯", "记者"),)),
    Story("海南绿发投资有限公司将职工之家作为企业文化建设的重要阵地，不断拓展服务——", "下班后，去职工之家“打卡”",
          "本报记者 赖书闻", (
        "“我在这里找到了适合自己放松的方式。只要下班后有时间，我都会过来弹奏古琴。”近日，在海南绿发投资有限公司职工之家，职工马惠玲对记者说。",
        "2020年底，马惠玲在公司职工之家听到同事弹奏的琴声，一下子被吸引了。后来，她就成为这里的常客。",
    ), (("赖书闻", "记者"),)),
    Story(None, "身心愉悦的疗休养之旅", "本报记者 杨明清 张嫱 本报通讯员 堵方涛", (
        "今年，湛山疗养院为劳模举办了为期7天的特色疗休养活动，让劳模们在放松身心、舒缓压力的同时，充分感受到青岛这座新时代“工匠之城”的魅力。",
        "“参观了工人运动馆、劳模工匠馆、青岛啤酒博物馆，感受到深植于这座城市的工匠精神。”参观后，全国劳模王树峰动情地说。",
    ), (("杨明清", "记者"), ("张嫱", "记者"), ("堵方涛", "通讯员"))),
)


def wrap(paragraph: str, width: int) -> list[str]:
    """Column lines as a page prints them (by display width: digits are half as wide as
    characters): the first line indented two characters, and a
    closing punctuation mark never starts a line (it hangs at the end of the one before)."""
    lines: list[str] = []
    rest = paragraph
    limit = width - 2
    while rest:
        cut = 0
        while cut < len(rest) and display_width(rest[: cut + 1]) <= limit:
            cut += 1
        while cut < len(rest) and rest[cut] in "，。、；：？！”）…":
            cut += 1
        lines.append(rest[:cut])
        rest = rest[cut:]
        limit = width
    return lines


def page(stories: list[Story], width: int, *, headline_first: bool, blank_lines: bool) -> str:
    out: list[str] = []
    for story in stories:
        head = [x for x in (story.kicker, story.title) if x]
        body = [line for p in story.paragraphs for line in wrap(p, width)]
        if story.byline:
            body.insert(0, story.byline)
        out += head + body if headline_first else body + head
    return ("\n\n" if blank_lines else "\n").join(out) + "\n"
