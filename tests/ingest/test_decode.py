from site_builder.ingest.decode import decode_page

TEXT = "本报讯（记者赖志凯）10月 25日，北京市\n\n工业（国防）工会“衣（医）食住行”职工生活服\n"


def test_encodings_decode_to_the_same_lines() -> None:
    expected, _, problems = decode_page(TEXT.encode("utf-8"), "p.txt")
    assert not problems and expected[0].startswith("本报讯")
    for data in (
        b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
        TEXT.encode("gb18030"),
        TEXT.encode("gbk"),
        TEXT.encode("utf-16"),
        TEXT.encode("utf-16-le"),
        TEXT.replace("\n", "\r\n").encode("utf-8"),
    ):
        lines, _, problems = decode_page(data, "p.txt")
        assert lines == expected and not problems


def test_full_width_letters_and_odd_spaces_are_normalised() -> None:
    lines, _, _ = decode_page("“１２３５１”ＡＰＰ\u3000服务\u00a0项目\u200b".encode(), "p.txt")
    assert lines == ("“12351”APP 服务 项目",)


def test_bad_files_are_problems_with_path_and_line() -> None:
    for data, words in ((b"", "empty"), (b"  \n\n", "empty"), (bytes(range(256)) * 4, "cannot decode"),
                        (b"\xff\xfe\x00\xd8\x00\xd8" * 3, "cannot decode"), (b"abc\x00\x00def" * 10, "binary")):
        lines, _, problems = decode_page(data, "seeds/x.txt")
        assert lines == ()
        assert len(problems) == 1 and str(problems[0]).startswith("seeds/x.txt:1: "), problems
        assert words in problems[0].message
