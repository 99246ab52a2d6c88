"""The HTTP API of `keypoints serve`, through FastAPI's TestClient: every status code,
the schema, the candidates, escaping, the body limit and the security headers."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed")

from fastapi.testclient import TestClient

from conftest import SAMPLES
from keypoints.errors import ExitCode
from keypoints.render.schema import ResultRecord
from keypoints.web import WebConfig, create_app

pytestmark = pytest.mark.slow  # the app loads GiNZA and the models at start-up

ARTICLE = (SAMPLES / "business_ev_battery.txt").read_text(encoding="utf-8")
HOSTILE = (
    "<script>window.pwned = 1</script>港町市は12日、路面電車を新港地区まで延伸する計画を"
    '正式に決めたと発表した。<img src=x onerror="window.pwned = 2">延伸区間は約2.4キロで、'
    '停留所を6か所設ける。<a href="javascript:window.pwned = 3">市</a>は2030年度の開業を'
    "目指し、来年度に工事を始める。費用は約120億円で、国の補助も見込む。"
)

HTML = "<html><body><article>{}</article></body></html>".format(
    "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n")[1:])
)


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(WebConfig(max_body=64 * 1024, queue=4))) as client:
        yield client


def summarize(client, **body):
    return client.post("/api/summarize", json={"text": ARTICLE, **body})


def test_health_says_the_models_are_loaded(client):
    health = client.get("/api/health").json()
    assert health["status"] == "ok" and health["models_loaded"] is True
    assert health["version"] and health["salience_model"] and health["compression_model"]
    assert "idf_table" in health  # None: no table, words weighed uniformly


def test_summarize_returns_the_result_schema_candidates_and_document(client):
    response = summarize(client, points=3)
    assert response.status_code == 200
    payload = response.json()
    result = ResultRecord.model_validate(payload["result"])
    assert len(result.points) == 3
    document = payload["document"]
    for sentence in document["sentences"]:
        assert document["text"][sentence["start"] : sentence["end"]].strip()
    for point in payload["result"]["points"]:
        assert "warnings" not in point or point["warnings"]  # as summarize --format json
        for start, end in point["spans"]:
            assert document["text"][start:end].strip()
    candidates = payload["candidates"]
    assert 1 <= len(candidates) <= 5
    taken = {i for p in result.points for i in p.sentence_ids}
    assert not taken & {i for c in candidates for i in c["sentence_ids"]}
    scores = [c["score"] for c in candidates]
    assert scores == sorted(scores, reverse=True)
    assert all(len(c["text"]) <= 70 for c in candidates)


def test_the_settings_reach_the_points(client):
    payload = summarize(client, points=2, max_chars=50, terms=["EV"]).json()
    assert len(payload["result"]["points"]) == 2
    assert all(len(p["text"]) <= 50 for p in payload["result"]["points"])


def test_explain_adds_the_feature_table(client):
    response = client.post("/api/summarize?explain=true", json={"text": ARTICLE})
    point = response.json()["result"]["points"][0]
    assert point["features"] and point["contributions"] is not None and point["source"]


@pytest.mark.parametrize(
    ("body", "words"),
    [({"text": "   "}, "empty"), ({"text": "Only English words here."}, "Japanese")],
)
def test_not_an_article_is_400_in_plain_words(client, body, words):
    response = client.post("/api/summarize", json=body)
    assert response.status_code == 400
    assert words in response.json()["detail"]
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    "body",
    [
        {"text": ARTICLE, "points": 0},
        {"text": ARTICLE, "points": "three"},
        {"text": ARTICLE, "max_chars": 5},
        {"text": ARTICLE, "colour": "red"},
        {"title": "見出しだけ"},
    ],
)
def test_bad_settings_are_422_with_a_readable_message(client, body):
    response = client.post("/api/summarize", json=body)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail


def test_broken_json_is_422(client):
    response = client.post(
        "/api/summarize", content=b'{"text": "', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422 and "JSON" in response.json()["detail"]


def test_a_body_over_the_limit_is_413(client):
    big = json.dumps({"text": "あ" * 40_000})  # about 120 KB of UTF-8, over 64 KiB
    response = client.post(
        "/api/summarize", content=big.encode(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413 and "bytes" in response.json()["detail"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_streamed_body_over_the_limit_is_413(client):
    def chunks():
        for _ in range(20):
            yield b"x" * 8192

    response = client.post(
        "/api/summarize", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("article.txt", ARTICLE.encode(), "text/plain"),
        ("article.md", ARTICLE.encode(), "text/markdown"),
        ("article.html", HTML.encode(), "text/html"),
        (
            "article.json",
            json.dumps({"title": "見出し", "text": ARTICLE}).encode(),
            "application/json",
        ),
    ],
)
def test_uploads_of_each_kind(client, name, data, kind):
    response = client.post(
        "/api/summarize",
        files={"file": (name, data, kind)},
        data={"points": "2", "terms": "EV\nCQA"},
    )
    assert response.status_code == 200, response.text
    assert len(response.json()["result"]["points"]) == 2


def test_an_unsupported_upload_is_415(client):
    response = client.post(
        "/api/summarize", files={"file": ("scan.pdf", b"%PDF-1.7", "application/pdf")}
    )
    assert response.status_code == 415 and ".pdf" in response.json()["detail"]


def test_a_body_of_another_type_is_415(client):
    response = client.post(
        "/api/summarize", content=ARTICLE.encode(), headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 415


def test_an_upload_in_shift_jis_is_read_and_a_binary_is_400(client):
    data = ARTICLE.encode("cp932")
    response = client.post("/api/summarize", files={"file": ("sjis.txt", data, "text/plain")})
    assert response.status_code == 200, response.text
    binary = bytes(range(256)) * 4
    response = client.post("/api/summarize", files={"file": ("scan.txt", binary, "text/plain")})
    assert response.status_code == 400 and "not text" in response.json()["detail"]


def test_a_full_queue_is_503(client):
    service = client.app.state.service
    service._pending = service.config.queue + 1  # as if that many were running and waiting
    try:
        response = summarize(client)
    finally:
        service._pending = 0
    assert response.status_code == 503 and response.headers["retry-after"]
    assert "busy" in response.json()["detail"]


def test_a_slow_article_does_not_block_the_health_check(client, monkeypatch):
    service = client.app.state.service
    original = service._summarize

    def slow(request, explain):
        time.sleep(3)
        return original(request, explain)

    monkeypatch.setattr(service, "_summarize", slow)
    worker = threading.Thread(target=summarize, args=(client,))
    worker.start()
    time.sleep(0.5)
    start = time.perf_counter()
    assert client.get("/api/health").status_code == 200
    assert time.perf_counter() - start < 1.5
    worker.join()


def test_hostile_text_comes_back_as_text_and_the_page_holds_no_article(client):
    payload = client.post("/api/summarize", json={"text": HOSTILE, "format": "text"}).json()
    assert "<script>" in payload["document"]["text"]  # as text: the page writes textContent
    html = client.post("/api/summarize", json={"text": HOSTILE, "format": "html"}).json()
    assert "<script" not in html["document"]["text"] and "pwned" not in html["document"]["text"]
    page = client.get("/")
    assert page.status_code == 200 and "港町市" not in page.text


def test_security_headers_on_every_response(client):
    for response in (client.get("/"), client.get("/api/health"), summarize(client)):
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "default-src 'none'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"


def test_the_page_and_docs_load_nothing_from_another_origin(client):
    for path in ("/", "/docs"):
        html = client.get(path).text
        assert "http://" not in html and "https://" not in html and "<script>" not in html
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert {"SummarizeRequest", "SummarizeResponse", "ResultRecord", "ErrorResponse"} <= set(
        schemas
    )


def test_serve_on_a_taken_port_says_so():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run(
            [sys.executable, "-m", "keypoints", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert run.returncode == ExitCode.UNAVAILABLE
    assert f"cannot listen on 127.0.0.1:{port}" in run.stderr and "Traceback" not in run.stderr
