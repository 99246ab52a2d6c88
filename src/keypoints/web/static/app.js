// keypoints page: paste an article, get the ポイント box, check each point against its
// source, edit, reorder, copy. Plain JS, no build step. Article text is only ever
// written with textContent or .value, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { result: null, points: [], candidates: [], maxChars: 70 };

function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("data-")) node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children) node.append(child);
  return node;
}

function showError(message) {
  const box = $("error");
  box.textContent = message;
  box.hidden = !message;
}

function buildRequest() {
  const file = $("file").files[0];
  const settings = {
    title: $("title").value.trim(),
    points: $("points").value,
    max_chars: $("max-chars").value,
    terms: $("terms").value,
  };
  if (file) {
    const form = new FormData();
    form.append("file", file);
    for (const [key, value] of Object.entries(settings)) if (value) form.append(key, value);
    return { body: form };
  }
  const text = $("text").value;
  if (!text.trim()) return { error: "記事が空です (the article is empty): paste an article or choose a file." };
  const points = Number(settings.points);
  const maxChars = Number(settings.max_chars);
  if (!(points >= 1 && points <= 10)) return { error: "ポイント数は 1〜10 です (points: 1 to 10)." };
  const body = {
    text,
    points,
    max_chars: maxChars,
    terms: settings.terms.split("\n").map((t) => t.trim()).filter(Boolean),
  };
  if (settings.title) body.title = settings.title;
  return { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } };
}

async function summarize(event) {
  event.preventDefault();
  showError("");
  const request = buildRequest();
  if (request.error) return showError(request.error);
  $("busy").hidden = false;
  $("run").disabled = true;
  try {
    const response = await fetch("/api/summarize?explain=true", {
      method: "POST",
      body: request.body,
      headers: request.headers || {},
    });
    const payload = await response.json().catch(() => ({}));
    if (!response.ok) {
      showError(`${errorLabel(response.status)}: ${payload.detail || response.statusText}`);
      return;
    }
    show(payload);
  } catch (error) {
    showError(`サーバーに接続できません (cannot reach the server): ${error.message}`);
  } finally {
    $("busy").hidden = true;
    $("run").disabled = false;
  }
}

function errorLabel(status) {
  return {
    400: "記事として読めません (not an article)",
    413: "記事が長すぎます (too long)",
    415: "このファイルは読めません (unsupported file)",
    422: "設定が正しくありません (invalid settings)",
    503: "混み合っています (busy, try again)",
  }[status] || `エラー (error ${status})`;
}

function show(payload) {
  state.result = payload.result;
  state.points = payload.result.points.map((p) => ({ ...p }));
  state.candidates = payload.candidates.slice();
  state.maxChars = Number($("max-chars").value) || 70;
  renderDocument(payload.document);
  renderPoints();
  renderCandidates();
  const existing = payload.result.existing_points || [];
  $("existing").hidden = existing.length === 0;
  $("existing-points").replaceChildren(...existing.map((p) => el("li", { text: p })));
  if (!state.points.length) showError("ポイントを作れませんでした (no point could be made from this article).");
  $("result").hidden = false;
}

function renderDocument(doc) {
  const nodes = [];
  let at = 0;
  for (const s of doc.sentences) {
    if (s.start > at) nodes.push(document.createTextNode(doc.text.slice(at, s.start)));
    nodes.push(el("span", { class: "sentence", text: doc.text.slice(s.start, s.end), "data-sid": s.id }));
    at = Math.max(at, s.end);
  }
  if (at < doc.text.length) nodes.push(document.createTextNode(doc.text.slice(at)));
  $("document").replaceChildren(...nodes);
  for (const span of $("document").querySelectorAll(".sentence")) {
    span.addEventListener("mouseenter", () => markFedPoints(span, true));
    span.addEventListener("mouseleave", () => markFedPoints(span, false));
  }
}

function sourcesOf(point) {
  return point.sentence_ids
    .map((id) => $("document").querySelector(`.sentence[data-sid="${Number(id)}"]`))
    .filter(Boolean);
}

function markSources() {
  for (const span of $("document").querySelectorAll(".sentence")) {
    span.classList.remove("is-source");
    span.removeAttribute("title");
    span.dataset.points = "";
  }
  state.points.forEach((point, i) => {
    for (const span of sourcesOf(point)) {
      span.classList.add("is-source");
      const fed = span.dataset.points ? span.dataset.points.split(",") : [];
      fed.push(String(i + 1));
      span.dataset.points = fed.join(",");
      span.title = `ポイント ${fed.join("・")} の出典 (source of point ${fed.join(", ")})`;
    }
  });
}

function markFedPoints(span, on) {
  const fed = (span.dataset.points || "").split(",").filter(Boolean);
  for (const item of $("points-list").children) {
    item.classList.toggle("fed", on && fed.includes(String(Number(item.dataset.index) + 1)));
  }
}

function highlight(index) {
  for (const span of $("document").querySelectorAll(".sentence.active")) span.classList.remove("active");
  for (const item of $("points-list").children) item.classList.toggle("selected", Number(item.dataset.index) === index);
  const spans = sourcesOf(state.points[index]);
  spans.forEach((span) => span.classList.add("active"));
  if (spans.length) spans[0].scrollIntoView({ block: "center", behavior: "instant" });
}

function countLabel(text) {
  return `${[...text].length} / ${state.maxChars}字`;
}

function renderPoints() {
  const items = state.points.map((point, i) => {
    const count = el("span", { class: "count", text: countLabel(point.text) });
    const over = () => count.classList.toggle("over", [...point.text].length > state.maxChars);
    over();
    const editor = el("textarea", { class: "point-text", value: point.text, rows: 2 });
    editor.setAttribute("aria-label", `ポイント ${i + 1}`);
    editor.addEventListener("input", () => {
      point.text = editor.value;
      count.textContent = countLabel(point.text);
      over();
    });
    const head = el("div", { class: "point-head" }, [el("span", { class: "number", text: `${i + 1}` }), count]);
    for (const warning of point.warnings || []) {
      head.append(el("span", { class: "warning", text: `要確認 ${warning}`, title: "made by a fallback: check it against its source" }));
    }
    const tools = el("span", { class: "tools" }, [
      button("↑", "上へ (move up)", () => move(i, -1), i === 0),
      button("↓", "下へ (move down)", () => move(i, 1), i === state.points.length - 1),
      button("×", "削除 (remove)", () => remove(i)),
    ]);
    head.append(tools);
    const item = el("li", { class: "point", "data-index": i }, [head, editor]);
    if (point.features) item.append(explainTable(point));
    item.addEventListener("click", (event) => {
      if (!event.target.closest("button, details")) highlight(i);
    });
    return item;
  });
  $("points-list").replaceChildren(...items);
  markSources();
}

function button(label, title, onClick, disabled = false) {
  const b = el("button", { type: "button", text: label, title, disabled });
  b.setAttribute("aria-label", title);
  b.addEventListener("click", onClick);
  return b;
}

function explainTable(point) {
  const rows = Object.entries(point.features).map(([name, value]) =>
    el("tr", {}, [
      el("th", { text: name }),
      el("td", { text: value.toFixed(3) }),
      el("td", { text: point.contributions && name in point.contributions ? point.contributions[name].toFixed(3) : "" }),
    ]));
  const head = el("tr", {}, [el("th", { text: "feature" }), el("th", { text: "value" }), el("th", { text: "adds" })]);
  return el("details", { class: "explain" }, [
    el("summary", { text: `explain (score ${point.score})` }),
    el("table", {}, [el("thead", {}, [head]), el("tbody", {}, rows)]),
  ]);
}

function move(i, step) {
  const j = i + step;
  [state.points[i], state.points[j]] = [state.points[j], state.points[i]];
  renderPoints();
}

function remove(i) {
  state.points.splice(i, 1);
  renderPoints();
}

function renderCandidates() {
  const items = state.candidates.map((candidate, i) =>
    el("li", { class: "candidate" }, [
      button("＋", "追加 (add this point)", () => {
        state.points.push({ ...candidate, entities: [], added: true });
        state.candidates.splice(i, 1);
        renderPoints();
        renderCandidates();
      }),
      el("span", { text: ` ${candidate.text} ` }),
      el("span", { class: "score", text: `(${candidate.score})` }),
    ]));
  $("candidates").replaceChildren(...items);
}

function pointsText() {
  return state.points.map((p) => `・${p.text}`).join("\n");
}

function pointsMarkdown() {
  const title = state.result.title ? [`## ${state.result.title}`, ""] : [];
  return [...title, "**ポイント**", "", ...state.points.map((p) => `- ${p.text}`)].join("\n");
}

async function copy(text) {
  $("copied").value = text;
  try {
    await navigator.clipboard.writeText(text);
    $("copy-status").textContent = "コピーしました (copied)";
  } catch {
    $("copy-status").textContent = "コピーできません: 下の欄から選んでください (clipboard blocked)";
    $("copied").hidden = false;
    $("copied").select();
  }
}

function edited() {
  // The JSON of `summarize --format json`, with the points as edited.
  const points = state.points.map((p) => {
    const out = { text: p.text, sentence_ids: p.sentence_ids, spans: p.spans, score: p.score, entities: p.entities || [] };
    if (p.warnings && p.warnings.length) out.warnings = p.warnings;
    return out;
  });
  return { ...state.result, points };
}

function download() {
  const blob = new Blob([JSON.stringify(edited(), null, 2)], { type: "application/json" });
  const link = el("a", { href: URL.createObjectURL(blob), download: "keypoints.json" });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

window.addEventListener("DOMContentLoaded", () => {
  $("article-form").addEventListener("submit", summarize);
  $("copy-text").addEventListener("click", () => copy(pointsText()));
  $("copy-markdown").addEventListener("click", () => copy(pointsMarkdown()));
  $("download").addEventListener("click", download);
});
