from hypothesis import given
from hypothesis import strategies as st

from site_builder.ingest.clean import clean_paragraph, clean_text, fix_punctuation, is_letter_spaced


def test_letter_spaced_line_loses_all_spaces() -> None:
    assert clean_text("的 宣 传 牌 ——“ 热 了 、渴 了 、累 了 ，请 到 爱") == "的宣传牌——“热了、渴了、累了，请到爱"
    assert clean_text("向 前 一 步 ，贴 近 职 工") == "向前一步，贴近职工"
    assert is_letter_spaced("阅 读 提 示")


def test_spaces_next_to_digits_and_latin_go() -> None:
    assert clean_text("10月 25日，组织 5家企业走进 52家会员单位") == "10月25日，组织5家企业走进52家会员单位"
    assert clean_text("建设“e 食住行”平台与市总工会“12351”APP 服务项目") == "建设“e食住行”平台与市总工会“12351”APP服务项目"
    assert clean_text("在这里休息一会儿 。”这个占地面积 30 多平") == "在这里休息一会儿。”这个占地面积30多平"


def test_real_separators_stay() -> None:
    assert clean_text("线上线下互联互通 精准对接职工需求") == "线上线下互联互通 精准对接职工需求"
    assert clean_text("本报记者 张翀 本报通讯员 张婧 谢朝华") == "本报记者 张翀 本报通讯员 张婧 谢朝华"
    assert clean_text("8月8日 星期一 晴") == "8月8日 星期一 晴"
    assert clean_paragraph(["主办，所属路桥公司承办的“缘聚中国铁建 情", "定千年雄安”集体婚礼"]) == \
        "主办，所属路桥公司承办的“缘聚中国铁建 情定千年雄安”集体婚礼"


def test_ascii_punctuation_becomes_full_width_in_chinese_only() -> None:
    assert fix_punctuation("本报讯 (记者赖志凯)10月25日,北京市") == "本报讯 （记者赖志凯）10月25日，北京市"
    assert fix_punctuation("共1,200人,12:30开会") == "共1,200人，12:30开会"
    assert fix_punctuation("5G (beta) 3,4") == "5G (beta) 3,4"
    assert clean_text("开展四最走流程、双报到双服务、“3+N”助学") == "开展四最走流程、双报到双服务、“3+N”助学"


def test_wrapped_lines_join_without_space_except_between_latin_words() -> None:
    assert clean_paragraph(["我们通过 Work", "Flow 平台和职工", "服务"]) == "我们通过Work Flow平台和职工服务"


@given(st.text(alphabet=st.sampled_from("工会职工 ，。,()（）5G\u3000a“”"), max_size=60))
def test_cleaning_never_loses_a_visible_character(text: str) -> None:
    import unicodedata

    def visible(s: str) -> list[str]:
        return sorted(c for c in unicodedata.normalize("NFKC", s) if not c.isspace())

    assert visible(clean_text(text)) == visible(text)
