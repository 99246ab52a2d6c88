"""End-to-end tests for keypoints.extract / Summarizer and the spaCy component.

All use tests/fixtures/article_business.txt (a headline, a blank line, three
paragraphs with a company, dates, amounts, a photo caption, a 「」 quote and one
line wrapped mid-sentence).

The tests marked slow load GiNZA: the spaCy component runs ja_ginza, and extract()
parses a pick that a drop rule could shorten; the others' picks need no parse.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

import keypoints
from keypoints.idf import default_idf
from keypoints.pipeline import Summarizer
from keypoints.settings import MIN_POINT_CHARS, Settings
from keypoints.stages.compress import check_point
from keypoints.stages.features import tfidf_vectors
from keypoints.stages.ingest import ingest
from keypoints.stages.mmr import REDUNDANT_SIMILARITY
from keypoints.stages.segment import split_sentences
from keypoints.structures import Result
from keypoints.text.sudachi import tokenize

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "article_business.txt"
TEXT = FIXTURE.read_text(encoding="utf-8")
HEADLINE = TEXT.split("\n", 1)[0]
CAPTION = next(line for line in TEXT.split("\n") if "（写真/提供）" in line)


@functools.cache
def extracted(n: int, max_chars: int = 70) -> Result:
    return keypoints.extract(TEXT, n=n, max_chars=max_chars)


@functools.cache
def body_sentences() -> list[str]:
    return [s.text for s in split_sentences(ingest(TEXT).body)]


def cosine_matrix(texts: list[str]):
    lemmas = [[t.normalized for t in tokenize(text) if t.is_content] for text in texts]
    vectors, _ = tfidf_vectors(lemmas, default_idf())
    return (vectors @ vectors.T).toarray()


# --- the fixture itself ----------------------------------------------------------------


def test_fixture_has_what_the_tests_need():
    article = ingest(TEXT)
    assert article.title == HEADLINE
    assert len(body_sentences()) >= 8
    assert CAPTION not in article.body
    assert "「" in article.body
    wrapped = [s for s in split_sentences(article.body) if "\n" in article.body[s.start : s.end]]
    assert wrapped, "the fixture should contain a sentence wrapped over two lines"


# --- number and origin of points -------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 3, 5])
def test_n_distinct_points(n):
    result = extracted(n)
    assert len(result.points) == n
    ids = [i for p in result.points for i in p.sentence_ids]
    assert len(set(ids)) == n
    assert len({p.text for p in result.points}) == n
    assert ids == sorted(ids), "points read top to bottom like the article"


@pytest.mark.parametrize("n", [1, 3, 5])
def test_points_come_from_body_sentences(n):
    sentences = body_sentences()
    for point in extracted(n).points:
        (sid,) = point.sentence_ids
        assert point.source_text == sentences[sid]
        assert point.source_text != HEADLINE
        assert HEADLINE not in point.source_text
        assert "写真" not in point.source_text and "山田一郎" not in point.source_text
        shown = point.text.removesuffix("…")
        assert shown and shown in point.source_text
        assert len(point.text) >= min(MIN_POINT_CHARS, len(point.source_text))


@pytest.mark.slow
@pytest.mark.parametrize("max_chars", [70, 40, MIN_POINT_CHARS])
def test_points_fit_max_chars(max_chars):
    result = extracted(3, max_chars)
    # Fewer points (even none) when too few sentences make a well-formed point
    # that short; every point given is well formed.
    assert len(result.points) <= 3
    if max_chars >= 40:
        assert len(result.points) >= 1
    if max_chars == 70:
        assert len(result.points) == 3
    for point in result.points:
        assert len(point.text) <= max_chars
        assert check_point(point.text) == []


@pytest.mark.slow
def test_short_max_chars_prefers_sentences_that_fit():
    fitting = [s for s in body_sentences() if len(s) <= 40]
    assert len(fitting) >= 2
    points = extracted(3, 40).points
    assert len(points) >= 2
    assert not [p for p in points if p.text.endswith("…")]


def count_batches(monkeypatch, summarizer: Summarizer, method: str) -> list[int]:
    """Wrap `summarizer.<method>` (which compresses a list of sentences) so that the
    returned list records how many sentences each call received."""
    sizes: list[int] = []
    original = getattr(summarizer, method)

    def counting(items):
        sizes.append(len(items))
        return original(items)

    monkeypatch.setattr(summarizer, method, counting)
    return sizes


@pytest.mark.slow
def test_compression_parses_the_picks_not_the_whole_shortlist(monkeypatch):
    # GiNZA is the slow part: with room for every pick, it parses exactly the
    # sentences that become points, and a pick that fails is replaced by a new one.
    summarizer = Summarizer(Settings(n_points=2))
    compressed = count_batches(monkeypatch, summarizer.stage("choose"), "_compress_all")
    result = summarizer.summarize_text(TEXT)
    assert len(result.points) == 2
    assert compressed[0] == 2
    assert sum(compressed) <= 2 + 2 * (len(compressed) - 1)
    # At the smallest max_chars few picks fit: MMR picks again, then gives up
    # rather than cut a sentence.
    tight = Summarizer(Settings(n_points=2, max_chars=MIN_POINT_CHARS))
    assert all(check_point(p.text) == [] for p in tight.summarize_text(TEXT).points)


@pytest.mark.slow
def test_an_article_of_long_chained_sentences_still_gets_a_well_formed_point():
    # No sentence compresses to 60 characters: the fallback point is the first
    # clauses of the best sentence, a whole fact, not a sentence cut with ….
    text = (
        "青葉市の取り組み\n\n"
        "青葉市は、市内の全ての小中学校に太陽光発電設備と蓄電池を設置し、災害時には地域住民の"
        "避難所として電力を供給できる体制を整えるとともに、平常時には環境教育の教材として活用してきた。"
        "同市は、高齢者や障害者の避難を支援するため、民生委員や自主防災組織と協力して個別避難計画の"
        "作成を進めており、対象となる約三千人のうち八割の計画を作り終えたとしている。"
    )
    result = Summarizer(Settings(n_points=2, max_chars=60)).summarize_text(text)
    assert len(result.points) >= 1
    for point in result.points:
        assert len(point.text) <= 60 and not point.text.endswith("…")
        assert check_point(point.text) == []
    # A point made of first clauses says so, for a reviewer to check.
    first_clauses = [p for p in result.points if len(p.text) < len(p.source_text) * 0.7]
    assert all(p.warnings in ([], ["from_first_clause"]) for p in first_clauses)


def test_no_point_rather_than_a_cut_sentence():
    # Dates and numbers are never dropped, and no clause ends before the 15th character.
    text = "青葉市の人口\n\n2025年4月1日時点の青葉市の人口は12万3456人で、前年より1234人多かった。"
    result = Summarizer(Settings(n_points=2, max_chars=MIN_POINT_CHARS)).summarize_text(text)
    assert result.points == []


@pytest.mark.slow
def test_all_sentences_when_n_exceeds_eligible():
    result = extracted(20)
    assert 0 < len(result.points) <= len(body_sentences())
    ids = [p.sentence_ids[0] for p in result.points]
    assert ids == sorted(set(ids))


# --- offsets ---------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("n", [3, 20])
def test_spans_map_back_to_the_input(n):
    result = extracted(n)
    assert result.offsets == "input"
    for point in result.points:
        assert len(point.spans) == len(point.sentence_ids) == 1
        ((start, end),) = point.spans
        assert 0 <= start < end <= len(TEXT)
        assert TEXT[start:end].replace("\n", "") == point.source_text


@pytest.mark.slow
def test_wrapped_sentence_span_covers_both_lines():
    result = extracted(20)
    wrapped = [p for p in result.points if "\n" in TEXT[p.spans[0][0] : p.spans[0][1]]]
    assert wrapped, "the wrapped sentence should be among all points"
    for point in wrapped:
        start, end = point.spans[0]
        assert TEXT[start:end] != point.source_text
        assert TEXT[start:end].replace("\n", "") == point.source_text


def test_spans_shift_with_leading_input():
    shifted = keypoints.extract("\n\n\n" + TEXT, n=3)
    for a, b in zip(extracted(3).points, shifted.points, strict=True):
        assert a.sentence_ids == b.sentence_ids
        assert [(s + 3, e + 3) for s, e in a.spans] == b.spans


@pytest.mark.slow
@pytest.mark.parametrize("n", [3, 20])
def test_entity_offsets_point_into_the_source_sentence(n):
    for point in extracted(n).points:
        for e in point.entities:
            assert point.source_text[e.start : e.end] == e.text


# --- result metadata -------------------------------------------------------------------


def test_result_metadata():
    result = extracted(3)
    assert result.title == HEADLINE
    assert result.existing_points == []
    from keypoints.stages.salience import default_model_path

    assert result.model == default_model_path().stem  # the shipped salience model
    assert result.version == keypoints.__version__
    assert result.id is None


def test_explicit_title_is_used():
    body = TEXT.split("\n", 2)[2]  # without the headline
    result = keypoints.extract(body, title="独自の見出し", n=2)
    assert result.title == "独自の見出し"
    assert len(result.points) == 2


@pytest.mark.slow
def test_existing_point_box_is_reported_and_never_a_candidate():
    box = [
        "ポイント",
        "・東西電機が新型蓄電池の量産を始めると発表",
        "・投資額は約120億円で年間5万台を生産する見込み",
    ]
    head, rest = TEXT.split("\n", 1)
    result = keypoints.extract("\n".join([head, "", *box, rest]), n=20)
    assert result.existing_points == [line[1:] for line in box[1:]]
    for point in result.points:
        assert point.source_text not in box
        assert "ポイント" not in point.source_text


def test_summarizer_gives_the_same_points_as_extract():
    again = Summarizer(Settings(n_points=3)).summarize_text(TEXT)
    assert [p.sentence_ids for p in again.points] == [p.sentence_ids for p in extracted(3).points]
    assert [p.text for p in again.points] == [p.text for p in extracted(3).points]


# --- redundancy ------------------------------------------------------------------------

REDUNDANT_ARTICLE = """東西電機が新工場

東西電機は新型蓄電池の量産を滋賀県の新工場で始めると発表した。
東西電機は新型蓄電池の量産を滋賀県の新工場で始めると正式に発表した。
投資額は約120億円で、年間5万台の生産を見込むという。
"""


@pytest.mark.slow
def test_fixture_points_are_not_redundant():
    for n in (3, 5, 20):
        points = extracted(n).points
        similarity = cosine_matrix([p.source_text for p in points])
        for i in range(len(points)):
            for j in range(i + 1, len(points)):
                assert similarity[i, j] < REDUNDANT_SIMILARITY


def test_near_duplicate_is_dropped_when_enough_sentences_remain():
    result = keypoints.extract(REDUNDANT_ARTICLE, n=2)
    assert [p.sentence_ids for p in result.points] == [[0], [2]]


def test_near_duplicates_never_both_become_points():
    result = keypoints.extract(REDUNDANT_ARTICLE, n=3)
    similarity = cosine_matrix([p.source_text for p in result.points])
    for i in range(len(result.points)):
        for j in range(i + 1, len(result.points)):
            assert similarity[i, j] < REDUNDANT_SIMILARITY


# --- settings --------------------------------------------------------------------------


@pytest.mark.parametrize("n", [0, -1])
def test_non_positive_number_of_points_is_refused(n):
    with pytest.raises(ValueError):
        Settings(n_points=n)
    with pytest.raises(ValueError):
        keypoints.extract(TEXT, n=n)


def test_max_chars_below_minimum_is_refused():
    with pytest.raises(ValueError):
        Settings(max_chars=MIN_POINT_CHARS - 1)


def test_negative_parse_reach_is_refused():
    with pytest.raises(ValueError):
        Settings(parse_reach=-0.5)


def test_default_settings():
    settings = Settings()
    assert settings.n_points == 3 and settings.max_chars == 70
    assert len(extracted(3).points) == settings.n_points


# --- spaCy component -------------------------------------------------------------------


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    pipeline = spacy.load("ja_ginza")
    pipeline.add_pipe("keypoints", config={"n_points": 2})
    return pipeline


@pytest.fixture(scope="module")
def component_doc(nlp):
    return nlp(TEXT)


@pytest.mark.slow
def test_component_sets_a_result_with_two_points(nlp, component_doc):
    assert "keypoints" in nlp.pipe_names
    result = component_doc._.keypoints
    assert isinstance(result, Result)
    assert len(result.points) == 2
    assert result.title == HEADLINE
    for point in result.points:
        ((start, end),) = point.spans
        assert component_doc.text[start:end].replace("\n", "") == point.source_text


@pytest.mark.slow
def test_component_matches_extract(component_doc):
    from_component = [p.sentence_ids for p in component_doc._.keypoints.points]
    assert from_component == [p.sentence_ids for p in extracted(2).points]


@pytest.mark.slow
def test_component_entity_offsets_point_into_the_source_sentence(component_doc):
    for point in component_doc._.keypoints.points:
        for e in point.entities:
            assert point.source_text[e.start : e.end] == e.text


WRAPPED_ARTICLE = (
    "新会社の設立について\n\n"
    "関西電力と東西電機は、共同で新会社を設立すると発表した。\n"
    "新会社の社長には、\n大阪ガス出身の鈴木次郎氏が2026年6月1日付で就任する。"
)


@pytest.mark.slow
def test_component_entity_offsets_in_a_wrapped_sentence(nlp):
    doc = nlp(WRAPPED_ARTICLE)
    points = doc._.keypoints.points
    assert any("\n" in doc.text[p.spans[0][0] : p.spans[0][1]] for p in points)
    for point in points:
        for e in point.entities:
            assert point.source_text[e.start : e.end] == e.text


def test_extract_entity_offsets_in_a_wrapped_sentence():
    for point in keypoints.extract(WRAPPED_ARTICLE, n=2).points:
        for e in point.entities:
            assert point.source_text[e.start : e.end] == e.text


# --- many articles at once --------------------------------------------------------------

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "corpora" / "samples").glob("*.txt"))


@functools.cache
def sample_articles() -> list:
    return [ingest(TEXT), *(ingest(p.read_text(encoding="utf-8")) for p in SAMPLES)]


@pytest.mark.slow
def test_summarize_many_gives_the_points_of_summarize(monkeypatch):
    articles = sample_articles()
    assert len(articles) >= 4
    summarizer = Summarizer()
    one_by_one = [summarizer.summarize(article) for article in articles]
    batches = count_batches(monkeypatch, summarizer.stage("choose"), "_compress_all")
    together = summarizer.summarize_many(articles)
    assert [r.points for r in together] == [r.points for r in one_by_one]
    assert all(r.points for r in together)
    # The picks of every article are compressed together: one call per round,
    # the first one holding the three picks of each article.
    assert batches[0] == 3 * len(articles)
    assert len(batches) <= 6


@pytest.mark.slow
def test_summarize_many_keeps_going_when_one_article_fails(monkeypatch):
    articles = sample_articles()
    assert len(articles) >= 5
    summarizer = Summarizer()
    expected = [summarizer.summarize(article) for article in articles]
    broken_article = articles[1]
    broken_sentence = max(expected[2].points, key=lambda p: len(p.source_text)).source_text
    features_stage, choose_stage = summarizer.stage("features"), summarizer.stage("choose")
    features = features_stage.process
    compress_all = choose_stage._compress_all

    def failing_features(state):
        if state.article is broken_article:
            raise RuntimeError("analysis failed")
        return features(state)

    def failing_compression(items):
        if any(item.analyzed.sentence.text == broken_sentence for item in items):
            raise ValueError("parse failed")
        return compress_all(items)

    sizes = [len(split_sentences(article.body)) for article in articles]
    broken_table_size = sizes[3]
    assert sizes.count(broken_table_size) == 1  # the size tells its rows apart
    score, score_many = summarizer.scorer.score, summarizer.scorer.score_many

    def failing_score(analyzed, table):
        if len(analyzed) == broken_table_size:
            raise ArithmeticError("prediction failed")
        return score(analyzed, table)

    def failing_score_many(pairs):
        if any(len(analyzed) == broken_table_size for analyzed, _ in pairs):
            raise ArithmeticError("prediction failed")
        return score_many(pairs)

    monkeypatch.setattr(features_stage, "process", failing_features)
    monkeypatch.setattr(choose_stage, "_compress_all", failing_compression)
    monkeypatch.setattr(summarizer.scorer, "score", failing_score)
    monkeypatch.setattr(summarizer.scorer, "score_many", failing_score_many)
    results = summarizer.summarize_many(articles)
    assert isinstance(results[1], RuntimeError)
    assert isinstance(results[2], ValueError)  # its sentence broke the shared batch
    assert isinstance(results[3], ArithmeticError)  # its rows broke the shared prediction
    for n in (0, *range(4, len(articles))):
        assert results[n].points == expected[n].points


@pytest.mark.slow
def test_a_news_article_of_long_sentences_still_gets_every_point():
    """The lead states the fact in one long sentence: compression brings it under the
    limit, and the article gets its three points."""
    text = (
        "港町市、路面電車を延伸\n\n"
        "港町市は12日、市議会の全員協議会で、老朽化が進む市内の路面電車を駅前から新港地区まで"
        "約2.4キロ延伸し、停留所を新たに6か所設ける計画を正式に決めたと、地元の商工会議所と"
        "ともに発表した。総事業費は約180億円で、国の補助金と市債でまかない、2029年春の開業を"
        "目指して来年度に工事に着手する予定だという。市長は記者会見で「将来世代に誇れる"
        "交通網にしたい。市民の皆さんの理解を得ながら進めたい。」と述べた。\n\n"
        "ただ、資材価格の高騰で事業費が膨らむ恐れもあり、市は年内に詳細設計をまとめる。"
    )
    result = Summarizer(Settings(n_points=3)).summarize_text(text)
    assert len(result.points) == 3
    for point in result.points:
        assert len(point.text) <= 70 and check_point(point.text) == []
        assert point.warnings in ([], ["from_first_clause"], ["quote_shortened"])


@pytest.mark.slow
def test_a_point_from_a_shortened_quote_traces_back_to_the_sentence_as_written():
    quote = (
        "監督は「今日の勝利は選手全員が最後まで走り抜いた結果で、本当に誇りに思っている。"
        "応援してくれたファンの皆さんにも心から感謝したい。次の試合も全力で戦い抜きたい。」と述べた。"
    )
    text = f"青葉FCが初優勝\n\n{quote}"
    result = Summarizer(Settings(n_points=1, max_chars=45)).summarize_text(text)
    (point,) = result.points
    assert point.warnings == ["quote_shortened"]
    assert point.source_text == quote
    start, end = point.spans[0]
    assert text[start:end] == quote


@pytest.mark.slow
def test_a_sentence_carried_by_side_quotes_gives_its_main_clause():
    """Two long quotes around the main clause: nothing fits whole, not even with the
    quotes shortened, but the main clause from its own subject on does, marked so."""
    long_one = (
        "「前半は相手の守備を崩せず苦しかったが、後半は全員が最後まで走り抜いてくれて、"
        "交代で入った選手たちも期待に応えてくれた。この勝利は選手たちの努力の結果だ。"
        "本当に誇りに思う」と話す監督に、決勝点を決めた主将の田中選手は"
        "「決勝でも自分たちのサッカーを貫きたい。支えてくれた皆さんに恩返しがしたい」と応じた。"
    )
    text = (
        "青葉FC、初の決勝へ\n\n"
        "青葉FCは12日、県選手権の準決勝で港町SCを2対1で破り、初の決勝進出を決めた。\n\n"
        f"{long_one}\n\n決勝は19日に県営競技場で行われる。"
    )
    result = Summarizer(Settings(n_points=3)).summarize_text(text)
    assert len(result.points) == 3
    (from_main,) = [p for p in result.points if p.source_text == long_one]
    assert (
        from_main.text
        == "決勝点を決めた主将の田中選手は「決勝でも自分たちのサッカーを貫きたい」と応じた。"
    )
    assert from_main.warnings == ["from_main_clause", "quote_shortened"]
    # A point lists the entities it names, not those its sentence lost.
    for point in result.points:
        assert all(e.text in point.text for e in point.entities)
