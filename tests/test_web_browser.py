"""The page of `keypoints serve` in a real browser: Debian's chromium, driven by
Playwright through `executable_path` (Playwright's own browser download cannot work
here). Each test saves a screenshot under its pytest tmp dir.

Without chromium or Playwright the tests skip, unless KEYPOINTS_REQUIRE_BROWSER=1
(as `.ci/run` sets): then they fail, so that CI never passes without them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO, SAMPLES

pytestmark = pytest.mark.slow

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails) with the reason
    expect = None

CHROMIUM = os.environ.get("KEYPOINTS_CHROMIUM", "/usr/bin/chromium")
REQUIRED = os.environ.get("KEYPOINTS_REQUIRE_BROWSER") == "1"
HOSTILE = (
    "<script>window.pwned = 1</script>港町市は12日、路面電車を新港地区まで延伸する計画を"
    '正式に決めたと発表した。<img src=x onerror="window.pwned = 2">延伸区間は約2.4キロで、'
    '停留所を6か所設ける。<a href="javascript:window.pwned = 3">市</a>は2030年度の開業を'
    "目指し、来年度に工事を始める。費用は約120億円で、国の補助も見込む。"
)


def _missing(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"browser tests required (KEYPOINTS_REQUIRE_BROWSER=1): {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def server():
    """`keypoints serve` on a free loopback port, once its models are loaded."""
    pytest.importorskip("fastapi", reason="the web extra is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "keypoints", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            with urllib.request.urlopen(f"{url}/api/health", timeout=2) as response:
                if json.load(response)["models_loaded"]:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"keypoints serve did not start: {process.stderr.read()}")
        time.sleep(0.5)
    yield url
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright is not installed")
        raise
    if not shutil.which(CHROMIUM):
        _missing(f"{CHROMIUM} not found (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server, tmp_path):
    context = browser.new_context(
        base_url=server,
        viewport={"width": 1280, "height": 1000},
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if _unexpected(m) else None)
    page.goto("/")
    yield page
    page.screenshot(path=tmp_path / "page.png", full_page=True)
    context.close()
    assert not errors, errors  # no script error, no CSP violation


def _unexpected(message) -> bool:
    """A console error other than the API's 4xx answers that a test asks for."""
    expected = "the server responded with a status of 4"
    return message.type == "error" and expected not in message.text


def summarize(page, text: str, title: str = "") -> dict:
    page.fill("#title", title)
    page.fill("#text", text)
    with page.expect_response("**/api/summarize**") as response:
        page.click("#run")
    payload = response.value.json()
    page.wait_for_selector("#result:not([hidden])")
    return payload


def test_the_seed_article_gets_three_points_each_traced_to_its_source(page, seed_record):
    payload = summarize(page, seed_record["text"], seed_record.get("title") or "")
    points = page.locator("#points-list li.point")
    assert points.count() == 3
    document = payload["document"]["text"]
    for i, point in enumerate(payload["result"]["points"]):
        points.nth(i).locator(".point-head .number").click()
        active = page.locator("#document .sentence.active")
        assert active.count() == len(point["sentence_ids"])
        assert [
            int(active.nth(k).get_attribute("data-sid")) for k in range(active.count())
        ] == point["sentence_ids"]
        start, end = point["spans"][0]
        assert active.first.text_content() == document[start:end]
        assert points.nth(i).evaluate("li => li.classList.contains('selected')")


def test_editing_a_point_updates_its_count_and_turns_red_over_the_limit(page):
    summarize(page, (SAMPLES / "medical_regulation.txt").read_text(encoding="utf-8"))
    first = page.locator("#points-list li.point").first
    editor, count = first.locator("textarea.point-text"), first.locator(".count")
    editor.fill("港町市は路面電車の延伸を決めた。")
    assert count.text_content() == "16 / 70字"
    assert "over" not in (count.get_attribute("class") or "")
    editor.fill("あ" * 71)
    assert count.text_content() == "71 / 70字"
    assert "over" in count.get_attribute("class")


def test_copy_markdown_gives_the_box_as_edited(page):
    summarize(page, (SAMPLES / "medical_regulation.txt").read_text(encoding="utf-8"), "見出しの例")
    page.locator("#points-list li.point").first.locator("textarea.point-text").fill(
        "港町市は路面電車の延伸を決めた。"
    )
    page.click("#copy-markdown")
    expect(page.locator("#copied")).not_to_have_value("")
    copied = page.input_value("#copied")
    assert copied.startswith("## 見出しの例\n\n**ポイント**\n\n- 港町市は路面電車の延伸を決めた。")
    assert page.evaluate("navigator.clipboard.readText()") == copied
    page.click("#copy-text")
    expect(page.locator("#copied")).to_have_value(re.compile("^・"))
    assert page.input_value("#copied").split("\n")[0] == "・港町市は路面電車の延伸を決めた。"


def test_reorder_remove_and_add_a_candidate(page):
    payload = summarize(page, (SAMPLES / "business_ev_battery.txt").read_text(encoding="utf-8"))
    points = page.locator("#points-list li.point")
    texts = [p["text"] for p in payload["result"]["points"]]
    points.nth(1).get_by_role("button", name="上へ (move up)").click()
    assert points.nth(0).locator("textarea").input_value() == texts[1]
    points.nth(2).get_by_role("button", name="削除 (remove)").click()
    assert points.count() == 2
    page.locator("#candidates li").first.get_by_role("button").click()
    assert points.count() == 3
    assert points.nth(2).locator("textarea").input_value() == payload["candidates"][0]["text"]


def test_hostile_article_text_shows_as_text_and_never_runs(page):
    summarize(page, HOSTILE)
    assert page.evaluate("window.pwned") is None
    assert page.locator("#document script, #document img, #document a").count() == 0
    assert "港町市" in page.text_content("#document")
    assert page.locator("#points-list li.point").count() >= 1


def test_an_empty_article_is_a_plain_error_on_the_page(page):
    page.click("#run")
    assert "記事が空です" in page.text_content("#error")
    page.fill("#text", "Only English words here.")
    page.click("#run")
    # (Playwright's waits poll with expect, not wait_for_function: the page's CSP
    # forbids the eval a polled string needs.)
    expect(page.locator("#error")).to_contain_text("Japanese")
    assert "Traceback" not in page.text_content("#error")


def test_the_readme_screenshot(page):
    """The screenshot in the README (docs/web-page.png), of a bundled sample article;
    rewritten only with KEYPOINTS_SCREENSHOT=1."""
    summarize(
        page,
        (SAMPLES / "business_ev_battery.txt").read_text(encoding="utf-8"),
    )
    page.locator("#points-list li.point").first.locator(".point-head .number").click()
    if os.environ.get("KEYPOINTS_SCREENSHOT") == "1":
        page.screenshot(path=Path(REPO / "docs" / "web-page.png"), full_page=True)
