"""Tests for keypoints.ingest: formats, boilerplate removal, ポイント box, offsets, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from keypoints.errors import (
    EmptyInputError,
    InputNotFoundError,
    InvalidRecordError,
    NoJapaneseError,
    UndecodableInputError,
)
from keypoints.io.files import decode, read_input
from keypoints.stages.ingest import ingest, ingest_file
from keypoints.structures import Article

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]
SEED = Path(__file__).resolve().parents[2] / "shared" / "data" / "gold_seed.jsonl"

BODY = "町は2026年4月から新しい制度を始めた。対象は町内の全世帯となる。"


def assert_offsets(article: Article, source: str) -> None:
    assert article.offset_map, "text/JSON input must have an offset map"
    for span in article.offset_map:
        body_slice = article.body[span.body_start : span.body_start + span.length]
        assert source[span.input_start : span.input_start + span.length] == body_slice
    covered = sum(span.length for span in article.offset_map)
    assert covered == len(article.body.replace("\n", ""))


def reasons(article: Article) -> set[str]:
    return {reason for _, reason in article.dropped_lines}


# --- title ---------------------------------------------------------------------------


def test_headline_line_becomes_title() -> None:
    article = ingest(f"町が新制度　全世帯が対象に\n\n{BODY}\n")
    assert article.title == "町が新制度　全世帯が対象に"
    assert article.body == BODY


def test_first_line_sentence_is_not_a_title() -> None:
    article = ingest(f"{BODY}\n\n町長は「続けたい」と話した。")
    assert article.title is None
    assert article.body.startswith(BODY)


def test_given_title_wins_and_its_repeat_is_dropped() -> None:
    article = ingest(f"町が新制度\n\n{BODY}", title="町が新制度")
    assert article.title == "町が新制度"
    assert "町が新制度" not in article.body
    assert ("町が新制度", "title") in article.dropped_lines


def test_single_headline_line_with_body_on_next_line() -> None:
    article = ingest(f"短い見出し\n{BODY}")
    assert article.title == "短い見出し"
    assert article.body == BODY


# --- boilerplate -------------------------------------------------------------------------


def test_site_banner_dropped_before_title() -> None:
    text = f"みなとNEWS 港町の話題をお届けするサイト\n\n港町市が新制度　全世帯が対象\n\n{BODY}"
    article = ingest(text)
    assert article.title == "港町市が新制度　全世帯が対象"
    assert "お届け" not in article.body
    assert "banner" in reasons(article)


def test_short_site_name_followed_by_headline_is_a_banner() -> None:
    article = ingest(f"みなと日報\n\n港町市、路面電車を延伸へ　2029年開業目指す\n\n{BODY}")
    assert article.title == "港町市、路面電車を延伸へ　2029年開業目指す"
    assert "みなと日報" not in article.body


@pytest.mark.parametrize(
    "caption",
    [
        "会見する町長。(写真/港町日報)",
        "会見する町長。（写真／港町日報）",
        "新しい庁舎。(出典/港町市)",
        "新しい庁舎。（出典：港町市）",
        "町の風景。写真はイメージ",
        "完成した橋。（港町市提供）",
        "完成した橋。(提供/港町市)",
    ],
)
def test_captions_dropped_in_both_widths(caption: str) -> None:
    article = ingest(f"見出しの行\n\n{caption}\n\n{caption}\n\n{BODY}")
    assert caption not in article.body
    assert [line for line, reason in article.dropped_lines if reason == "caption"] == [
        caption,
        caption,
    ]


def test_caption_credit_line_takes_caption_text_with_it() -> None:
    article = ingest(
        f"見出しの行\n\n{BODY}\n\n完成した橋の全景。\n（写真／港町市提供）\n\n町長は「うれしい」と語った。"
    )
    assert "完成した橋の全景" not in article.body
    assert "町長は" in article.body


def test_meta_and_share_lines_dropped() -> None:
    text = f"見出しの行\n\n2026年4月18日 公開\n\nカレンダー2026.4.18 フォルダー 地域\n\nシェア ツイート LINEで送る\n\n{BODY}"
    article = ingest(text)
    assert article.body == BODY
    assert {"meta", "share"} <= reasons(article)


def test_date_inside_a_sentence_is_kept() -> None:
    article = ingest(f"港町市が新制度、全世帯を対象に支援金\n\n2026年4月1日から申請\n\n{BODY}")
    assert "2026年4月1日から申請" in article.body


def test_repeated_line_kept_once() -> None:
    para = BODY + "町長は「続けたい」と話した。"
    # (…続きを読む was the fragment here until it became boilerplate itself: more_link.)
    article = ingest(f"見出しの行\n\n{para}\n\n町の広報から\n\n{para}\n\n町の広報から")
    assert article.body == f"{para}\n\n町の広報から"
    assert [line for line, reason in article.dropped_lines if reason == "duplicate"] == [
        para,
        "町の広報から",
    ]


def test_short_repeated_sentence_is_kept() -> None:
    text = f"見出しの行\n\n{BODY}\n\n見解を求めます。\n\n次に予算について伺う。\n\n見解を求めます。"
    assert ingest(text).body.count("見解を求めます。") == 2


def test_reference_list_and_urls_dropped() -> None:
    text = (
        f"見出しの行\n\n{BODY}\n\nhttps://example.jp/standalone\n\n参考文献\n"
        "港町市「新制度について」\nhttps://example.jp/a\n・港町市 資料 https://example.jp/b\n"
    )
    article = ingest(text)
    assert article.body == BODY
    assert "http" not in article.body and "参考文献" not in article.body
    assert {"url", "references"} <= reasons(article)


def test_reference_section_ends_at_a_body_paragraph() -> None:
    text = f"見出しの行\n\n関連記事\n港町の夏祭り、3年ぶり開催へ\n\n{BODY}"
    assert ingest(text).body == BODY


def test_author_bio_and_contact_dropped() -> None:
    text = (
        f"見出しの行\n\n{BODY}\n\nAuthor\n\n港町日報編集長。新聞社の記者を経て2019年に独立。\n\n"
        "お問い合わせ\n\n下記よりお気軽にお問い合わせください。\n\n連絡先 info@example.jp\n\nTEL 03-1234-5678\n"
    )
    article = ingest(text)
    assert article.body == BODY
    assert {"author", "author_bio", "contact"} <= reasons(article)


def test_bio_without_heading_and_site_disclaimer_dropped() -> None:
    text = (
        f"見出しの行\n\n{BODY}\n\n"
        "当サイトは地域の情報を中立的な立場から提供しています。\n\n"
        "山田花子　ジャーナリスト。大学を卒業後、出版社を経てフリーに。\n"
    )
    assert ingest(text).body == BODY


def test_press_conference_sentence_is_not_a_bio() -> None:
    sentence = "同社は2019年に設立された。社長は記者会見で計画を説明した。"
    assert sentence in ingest(f"見出しの行\n\n{sentence}").body


def test_fixture_article_txt() -> None:
    article = ingest_file(str(FIXTURES / "ingest_article.txt"))
    assert article.input_format == "text"
    assert article.title == "潮見市、海岸清掃にドローン導入　漂着ごみの位置を自動で記録"
    body = article.body
    for gone in (
        "お届けするサイト",
        "カレンダー",
        "写真",
        "シェア",
        "参考文献",
        "https://",
        "当サイト",
        "著者",
        "編集長",
        "お問い合わせ",
        "@example.jp",
        article.title,
    ):
        assert gone not in body, gone
    assert body.startswith("潮見市は2026年4月18日")
    assert "清掃の効率はどう変わるのか" in body  # subheadings are kept
    assert (
        "• 調査→職員の徒歩調査に比べ、確認にかかる時間が約5分の1になる。" in body
    )  # verbatim bullet
    assert body.endswith("近隣の市とも共有する」と話した。")
    assert_offsets(article, (FIXTURES / "ingest_article.txt").read_text(encoding="utf-8"))


# --- ポイント box ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "markers"),
    [
        ("ポイント", ["・", "・", "・"]),
        ("【この記事のポイント】", ["①", "②", "③"]),
        ("記事のポイント", ["  • ", "  • ", "  • "]),
        ("3つのポイント", ["1. ", "2. ", "3. "]),
        ("## 要点", ["- ", "- ", "- "]),
    ],
)
def test_point_box_becomes_existing_points(heading: str, markers: list[str]) -> None:
    points = ["町は新制度を始めた。", "対象は全世帯となる。", "来年度に見直す。"]
    box = "\n".join(marker + point for marker, point in zip(markers, points, strict=True))
    text = f"町が新制度\n\n{heading}\n{box}\n\n{BODY}"
    article = ingest(text)
    assert article.existing_points == points
    assert article.body == BODY
    assert [line for line, reason in article.dropped_lines if reason == "existing_points"][
        0
    ] == heading
    assert_offsets(article, text)


def test_bullets_without_point_heading_stay_verbatim() -> None:
    text = f"見出しの行\n\n{BODY}\n\n  • 課題→費用が高い。\n  • 対策→国が補助する。\n"
    article = ingest(text)
    assert article.existing_points == []
    assert article.body == f"{BODY}\n\n• 課題→費用が高い。\n• 対策→国が補助する。"


def test_point_heading_without_bullets_is_kept() -> None:
    article = ingest(f"見出しの行\n\nポイント\n{BODY}")
    assert article.existing_points == []
    assert "ポイント" in article.body


def test_astronomy_sample_point_box() -> None:
    path = REPO / "corpora" / "samples" / "science_astronomy.md"
    if not path.exists():
        pytest.skip("sample missing")
    article = ingest_file(str(path))
    assert article.input_format == "markdown"
    assert article.title.startswith("若い星の周りに「惑星のゆりかご」")
    assert article.existing_points == [
        "北辰大学のチームが、誕生から約200万年の若い星を取り巻く円盤に3本の溝を見つけた。",
        "溝は成長中の複数の惑星が作ったとみられ、惑星が想定より早く生まれる可能性を示した。",
        "チームは2027年に次世代の観測装置で追観測し、溝の中の惑星の直接撮影を目指す。",
    ]
    assert "ポイント\n" not in article.body and "写真" not in article.body
    assert "参考文献" not in article.body and "https://" not in article.body
    assert "お問い合わせ" not in article.body
    assert "観測の概要" in article.body


# --- offsets -----------------------------------------------------------------------------


def test_offsets_round_trip_on_text_with_odd_whitespace() -> None:
    text = (
        "\ufeff  見出しの行\u3000\r\n\r\n\u3000町は新制度を始めた。\t\r\n 対象は全世帯だ。\n\n\n"
        "会見する町長。(写真/港町日報)\n\t続いて町長は「続ける」と述べた。  \n"
    )
    article = ingest(text)
    assert (
        article.body == "町は新制度を始めた。\n対象は全世帯だ。\n\n続いて町長は「続ける」と述べた。"
    )
    assert article.offsets_refer_to == "input"
    assert_offsets(article, text)
    assert article.to_input_offset(0) == text.index("町は新制度")


def test_offsets_round_trip_on_json_record() -> None:
    record = {
        "id": "r1",
        "title": "港町市が新制度",
        "text": f"港町市が新制度\n\n　{BODY}\n\n参考\nhttps://example.jp/x",
    }
    article = ingest(json.dumps(record, ensure_ascii=False))
    assert article.input_format == "json"
    assert (article.id, article.title, article.body) == ("r1", "港町市が新制度", BODY)
    assert_offsets(article, record["text"])


def test_json_record_text_is_plain_text() -> None:
    record = {"text": f"# 見出しではない\n\n{BODY}"}
    article = ingest(json.dumps(record, ensure_ascii=False), format="json", id="x9")
    assert article.id == "x9"
    assert "# 見出しではない" in (article.title or "") + article.body


# --- HTML and Markdown ---------------------------------------------------------------------


def test_html_page_via_trafilatura() -> None:
    article = ingest_file(str(FIXTURES / "ingest_page.html"))
    assert article.input_format == "html"
    assert article.title is not None and article.title.startswith(
        "港町市、路面電車を30年ぶり延伸へ"
    )
    body = article.body
    for gone in (
        "トップ",
        "経済ニュース一覧",
        "スポーツ速報",
        "人気記事ランキング",
        "週末のイベント",
        "Copyright",
        "プライバシーポリシー",
        "シェア",
        "ツイート",
        "info@example.jp",
    ):
        assert gone not in body, gone
    assert body.startswith("港町市は2026年5月14日、市内を走る路面電車を")
    assert "資材価格の高騰で事業費が膨らむ恐れもある。" in body
    assert "・停留所は新たに6か所設ける。" in body
    assert "路面電車を30年ぶり延伸へ" not in body
    assert article.existing_points == [
        "港町市は路面電車を駅前から新港地区まで約2.4キロ延伸する計画を決めた。",
        "総事業費は約180億円で、国の補助を活用して市の負担を抑える。",
        "2029年春の開業を目指し、来年度に工事に着手する。",
    ]
    assert article.offset_map == [] and article.offsets_refer_to == "body"


def test_html_sniffed_from_content() -> None:
    html = (FIXTURES / "ingest_page.html").read_text(encoding="utf-8")
    assert ingest(html).input_format == "html"


def test_markdown_fixture() -> None:
    article = ingest_file(str(FIXTURES / "ingest_article.md"))
    assert article.input_format == "markdown"
    assert article.title == "山里町、空き家を「お試し移住」住宅に　首都圏から若い世帯呼び込む"
    assert article.existing_points == [
        "山里町は空き家10棟を改修し、最長1年住めるお試し移住住宅にする。",
        "家賃は月1万円で、町内での仕事探しも支援する。",
        "2027年春から入居者を募集する。",
    ]
    body = article.body
    assert "町の公式発表で確認できる。" in body  # link text kept, URL gone
    assert "https://" not in body and "](" not in body
    assert "空き家の外観" not in body and "akiya.jpg" not in body  # image dropped
    assert "print(" not in body  # code block dropped
    assert "*" not in body and "#" not in body
    assert "移住者を増やす狙い\n\n町の人口はこの20年で3割ほど減った。" in body
    assert "・引っ越し費用の一部を補助する。\n・地元企業での職場体験を紹介する。" in body
    assert body.endswith("町長は「まずは町の暮らしを体験してほしい」と話した。")
    assert article.offset_map == []


# --- reading and errors ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.txt", "text"),
        ("a.md", "markdown"),
        ("a.markdown", "markdown"),
        ("a.HTML", "html"),
        ("a.htm", "html"),
        ("a.json", "json"),
        ("a.jsonl", "json"),
    ],
)
def test_read_input_format_from_extension(tmp_path: Path, name: str, fmt: str) -> None:
    path = tmp_path / name
    path.write_bytes("本文。".encode())
    assert read_input(str(path)) == ("本文。".encode(), fmt)


@pytest.mark.parametrize(
    ("content", "fmt"),
    [
        ('{"text": "本文"}', "json"),
        ("<!DOCTYPE html><html></html>", "html"),
        ("<div><p>a</p><p>b</p><p>c</p></div>", "html"),
        ("本文です。", "text"),
    ],
)
def test_read_input_sniffs_stdin_and_unknown_extensions(
    tmp_path: Path, content: str, fmt: str
) -> None:
    assert read_input("-", stdin_bytes=content.encode()) == (content.encode(), fmt)
    path = tmp_path / "article.dat"
    path.write_text(content, encoding="utf-8")
    assert read_input(str(path))[1] == fmt


def test_missing_file_and_directory(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    with pytest.raises(InputNotFoundError, match="nope.txt"):
        read_input(str(missing))
    with pytest.raises(InputNotFoundError, match="directory"):
        ingest_file(str(tmp_path))
    assert InputNotFoundError.exit_code == 66


def test_decode_accepts_and_strips_bom() -> None:
    assert decode("\ufeff本文".encode(), "x.txt") == "本文"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"abc\x00def", r"not text in UTF-8, UTF-16, .* \(a binary file\?\); .*--encoding cp932$"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r"not text in UTF-8, .* \(a binary file\?\)"),
        (b"\x80abc", r"cannot tell its encoding: .*; pass one, e.g. --encoding utf-16-"),
    ],
)
def test_decode_rejects_binary_and_untellable_bytes(data: bytes, reason: str) -> None:
    with pytest.raises(UndecodableInputError, match=rf"^bad\.bin: {reason}"):
        decode(data, "bad.bin")


def test_ingest_file_reads_shift_jis(tmp_path: Path) -> None:
    path = tmp_path / "sjis.txt"
    path.write_bytes(f"見出し\n\n{BODY}".encode("shift_jis"))
    article = ingest_file(str(path))
    assert article.title == "見出し"


@pytest.mark.parametrize("text", ["", "   \n\u3000\n\t"])
def test_empty_input(text: str) -> None:
    with pytest.raises(EmptyInputError):
        ingest(text)


def test_only_boilerplate_is_empty() -> None:
    with pytest.raises(EmptyInputError):
        ingest("https://example.jp/a\n\nお問い合わせ：info@example.jp\n")


def test_no_japanese() -> None:
    with pytest.raises(NoJapaneseError):
        ingest("Hello world 123")


@pytest.mark.parametrize(
    "record",
    [
        '{"title": "見出し"}',
        '{"text": 42}',
        '["本文"]',
        '{"text": "本文", "title": 3}',
        '{"text": "本文"',
    ],
)
def test_invalid_json_records(record: str) -> None:
    with pytest.raises(InvalidRecordError):
        ingest(record, format="json")


def test_json_with_empty_text() -> None:
    with pytest.raises(EmptyInputError):
        ingest('{"text": "  "}')


def test_unknown_format() -> None:
    with pytest.raises(ValueError):
        ingest(BODY, format="pdf")


def test_one_megabyte_text() -> None:
    paragraphs = [
        f"第{i}段落では、町の新しい制度について説明している。対象は{i}世帯となる。"
        for i in range(20000)
    ]
    text = "大きな記事の見出し\n\n" + "\n\n".join(paragraphs)
    assert len(text.encode()) > 1_000_000
    article = ingest(text)
    assert article.title == "大きな記事の見出し"
    assert len(article.offset_map) == 20000
    span = article.offset_map[-1]
    assert text[span.input_start : span.input_start + span.length] == paragraphs[-1]


# --- the real seed article ---------------------------------------------------------------


def test_gold_seed_article() -> None:
    if not SEED.exists():
        pytest.skip("../shared/data/gold_seed.jsonl not available")
    record = json.loads(SEED.read_text(encoding="utf-8").splitlines()[0])
    article = ingest(record["text"], title=record["title"])
    body = article.body
    assert article.title == record["title"]
    assert record["title"] not in body
    for gone in (
        "お届けするサイト",
        "カレンダー",
        "(出典/",
        "(写真/",
        "写真はイメージ",
        "参考文献",
        "https://",
        "http://",
        "Author",
        "編集長",
        "獣医学課程を卒業",
        "お問い合わせ",
        "当サイト",
    ):
        assert gone not in body, gone
    bullets = [line for line in body.split("\n") if line.startswith("•")]
    assert len(bullets) == 6
    assert any(line.startswith("• 課題→") for line in bullets)
    assert article.existing_points == []
    assert_offsets(article, record["text"])


NEWS_BODY = (
    "港町市は12日、路面電車を新港地区まで延伸すると発表した。総事業費は約180億円の見込みだ。"
)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("時事通信より", "source"),
        ("「週刊青葉」2012年5月号（青葉書房）より", "source"),
        (
            "本ニュースは「港町新報」および「青葉スポーツ」の以下の報道を情報源としている。",
            "source",
        ),
        ("本記事は市の発表資料をもとに作成した。", "source"),
        ("（港町新報、2012年5月13日）", None),  # a dated line: the meta rule or the source rule
        ("記事執筆：港町ライター", "credit"),
        ("（文：青葉 花子）", "credit"),
        ("【取材・文＝編集部】", "credit"),
        ("（情報提供元：港町市観光課）", "credit"),
        ("Copyright 2012 Minato News. All rights reserved.", "copyright"),
        ("■交通の記事をもっと見る", "more_link"),
        ("…続きを読む", "more_link"),
        ("詳しくはこちら", "more_link"),
        ("販売元：Amazon.co.jp", "commerce"),
        ("クチコミを見る", "commerce"),
    ],
)
def test_news_boilerplate_lines_are_dropped(line: str, reason: str | None) -> None:
    article = ingest(f"延伸の記事\n\n{NEWS_BODY}\n\n{line}\n\n市民の声も寄せられている。")
    assert line not in article.body
    dropped = dict(article.dropped_lines)
    assert line in dropped and (reason is None or dropped[line] == reason)


@pytest.mark.parametrize(
    "heading",
    ["■関連記事", "【関連情報】", "【関連ニュース】", "■関連サイト", "あわせて読みたい", "■参考"],
)
def test_a_related_list_goes_with_its_heading(heading: str) -> None:
    text = (
        f"延伸の記事\n\n{NEWS_BODY}\n\n{heading}\n・路面電車、30年ぶりの新線\n"
        "・新港地区の再開発 http://example.com/a\nhttps://example.com/b\n"
    )
    article = ingest(text)
    assert article.body == NEWS_BODY


def test_source_like_lines_inside_the_article_stay() -> None:
    # A wrapped line that ends with より, and sentences that only mention a source.
    text = (
        f"延伸の記事\n\n{NEWS_BODY}港町市によると、利用者は昨年より\n2割多かった。"
        "市の発表より早く、地元紙が報じた。\n\n記事を書いた記者は、文字数の多さに驚いた。"
    )
    article = ingest(text)
    assert "昨年より" in article.body and "市の発表より早く" in article.body
    assert "文字数の多さ" in article.body


def test_a_dropped_line_inside_a_wrapped_sentence_is_not_in_its_span():
    """The title repeated inside a wrapped sentence is dropped, and the sentence is not
    joined across it: its span would hold the dropped line."""
    from keypoints.stages.segment import split_sentences

    text = (
        "新制度の概要について\n\n市は新制度を発表した。\n\n"
        "市は新しい制度を、\n新制度の概要について\n来年から始める。"
    )
    article = ingest(text, format="text")
    assert ("新制度の概要について", "title") in article.dropped_lines
    sentences = split_sentences(article.body, article.dropped_breaks)
    assert [s.text for s in sentences] == [
        "市は新制度を発表した。",
        "市は新しい制度を、",
        "来年から始める。",
    ]
    for s in sentences:
        start, end = article.to_input_offset(s.start), article.to_input_offset(s.end)
        assert text[start:end] == s.text


def test_lines_kept_side_by_side_have_no_dropped_break():
    article = ingest("新制度の概要について\n\n市は新しい制度を、\n来年から始める。", format="text")
    assert article.dropped_breaks == frozenset()
