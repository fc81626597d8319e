// kg serve's page: search an entity, read its card and neighbourhood, find paths between two
// entities, run SPARQL. Plain DOM code; every piece of data is set as text, never as HTML.
// The state lives in the URL's fragment (#view=entity&name=...), so a link shares a view.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
let prefixes = {};

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" || typeof child === "number" ? String(child) : child);
  }
  return node;
}

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function status(text) {
  document.getElementById("status").textContent = text || "";
}

function headers(extra) {
  const result = Object.assign({}, extra || {});
  const token = sessionStorage.getItem("kg-token");
  if (token) result.Authorization = "Bearer " + token;
  return result;
}

async function api(path, params) {
  const url = path + "?" + new URLSearchParams(params || {}).toString();
  const response = await fetch(url, { headers: headers({ Accept: "application/json" }) });
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    body = { error: "the server's answer is not JSON (" + response.status + ")" };
  }
  return { ok: response.ok, status: response.status, body };
}

function compact(iri) {
  let best = null;
  for (const [prefix, namespace] of Object.entries(prefixes)) {
    if (iri.startsWith(namespace) && (!best || namespace.length > best[1].length)) best = [prefix, namespace];
  }
  return best ? best[0] + ":" + iri.slice(best[1].length) : "<" + iri + ">";
}

// ---- The URL fragment holds the state ----

function state() {
  return new URLSearchParams(location.hash.slice(1));
}

function go(params) {
  const next = "#" + new URLSearchParams(params).toString();
  if (location.hash === next) render();
  else location.hash = next;
}

function idOf(iri) {
  return decodeURIComponent(iri.replace(/^.*[/#]/, ""));
}

function entityLink(node) {
  return el("a", { href: "#" + new URLSearchParams({ view: "entity", name: idOf(node.iri) }), title: node.iri }, node.label);
}

// ---- Suggestions under a search box ----

function combo(input) {
  const list = document.getElementById(input.getAttribute("aria-controls"));
  let items = [];
  let active = -1;
  let timer = null;
  let asked = 0;
  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    active = -1;
  };
  const choose = (item) => {
    input.value = item.label;
    input.dataset.id = item.id;
    close();
  };
  const show = () => {
    list.replaceChildren();
    items.forEach((item, i) => {
      const option = el("li", { role: "option", id: list.id + "-" + i, "aria-selected": String(i === active) },
        item.label, el("small", {}, " " + item.id));
      option.addEventListener("mousedown", (event) => { event.preventDefault(); choose(item); });
      list.append(option);
    });
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", String(items.length > 0));
    if (active >= 0) input.setAttribute("aria-activedescendant", list.id + "-" + active);
    else input.removeAttribute("aria-activedescendant");
  };
  input.addEventListener("input", () => {
    delete input.dataset.id;
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (!input.value.trim()) { items = []; show(); return; }
      const ask = ++asked;
      const answer = await api("/api/suggest", { q: input.value, limit: 8 });
      // A slow answer to an earlier prefix must not replace a later one.
      if (ask !== asked) return;
      // The answer may come after the person moved on: show it only where they still type.
      items = answer.ok && document.activeElement === input ? answer.body : [];
      active = -1;
      show();
    }, 120);
  });
  input.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "ArrowDown") { active = Math.min(active + 1, items.length - 1); show(); event.preventDefault(); }
    else if (event.key === "ArrowUp") { active = Math.max(active - 1, 0); show(); event.preventDefault(); }
    else if (event.key === "Enter" && active >= 0) { choose(items[active]); }
    else if (event.key === "Escape") { close(); event.preventDefault(); }
  });
  input.addEventListener("blur", close);
}

function nameOf(input) {
  return input.dataset.id || input.value.trim();
}

// ---- Evidence ----

function evidenceList(evidence) {
  const list = el("ul", { class: "evidence" });
  for (const item of evidence) {
    const sentence = el("span", { class: "sentence" });
    const line = el("li", {},
      el("span", { class: "document" }, item.document),
      item.sentence !== null ? el("span", { class: "number" }, " sentence " + item.sentence) : null,
      item.date ? el("time", {}, " " + item.date) : null,
      sentence);
    if (item.sentence !== null) {
      api("/api/sentence", { document: item.document, sentence: item.sentence }).then((answer) => {
        if (answer.ok && answer.body.text) sentence.textContent = "“" + answer.body.text + "”";
      });
    }
    list.append(line);
  }
  return list;
}

// ---- Entity: card and neighbourhood ----

async function showEntity(name) {
  const card = document.getElementById("card");
  const around = document.getElementById("neighbourhood");
  if (name) document.getElementById("entity-name").value = name;
  card.replaceChildren();
  around.replaceChildren();
  if (!name) return;
  status("Looking up " + name + "…");
  const answer = await api("/api/lookup", { name });
  status("");
  if (!answer.ok) {
    card.append(problem(answer.body));
    return;
  }
  const entity = answer.body.entity;
  const box = document.getElementById("entity-name");
  box.value = entity.label;
  box.dataset.id = entity.id;
  card.append(
    el("h2", {}, entity.label, " ", el("small", {}, [...new Set(entity.types.map((t) => t.label))].join(", "))),
    entity.description ? el("p", { class: "description" }, entity.description) : null,
    entity.aliases.length ? el("p", { class: "aliases" }, "Also: " + entity.aliases.join(", ")) : null,
    el("p", { class: "iri" }, el("code", {}, entity.iri)));
  if (answer.body.attributes.length) {
    const table = el("table", { class: "attributes" });
    for (const attribute of answer.body.attributes) {
      table.append(el("tr", {}, el("th", {}, attribute.predicate.label), el("td", {}, String(attribute.value))));
    }
    card.append(table);
  }
  const relations = el("ul", { class: "relations" });
  for (const relation of answer.body.relations) {
    const arrow = relation.direction === "out" ? "→" : "←";
    relations.append(el("li", {},
      el("span", { class: "predicate" }, arrow + " " + relation.predicate.label + " "),
      entityLink(relation.node),
      relation.inferred
        ? el("span", { class: "inferred", title: "not stated: derived by the rule " + relation.inferred + " from the facts below" },
          " inferred (" + relation.inferred + ")")
        : null,
      evidenceList(relation.evidence)));
  }
  card.append(el("h3", {}, "Relations (" + answer.body.relations.length + ")"), relations);
  const neighbours = await api("/api/neighbors", { name: idOf(entity.iri), hops: 1 });
  if (neighbours.ok) drawNeighbourhood(around, neighbours.body);
}

function problem(body) {
  const box = el("div", { class: "error", role: "alert" }, body.error || "error");
  const others = body.suggestions || body.candidates;
  if (others && others.length) {
    const list = el("p", {}, body.suggestions ? "Did you mean: " : "It may be: ");
    others.forEach((o, i) => {
      if (i) list.append(", ");
      list.append(entityLink(o));
    });
    box.append(list);
  }
  return box;
}

function nodeShape(group, x, y, node, centre) {
  const link = svg("a", { href: "#" + new URLSearchParams({ view: "entity", name: idOf(node.iri) }) });
  link.append(svg("circle", { cx: x, cy: y, r: centre ? 9 : 6, class: centre ? "node centre" : "node" }));
  const label = node.label.length > 28 ? node.label.slice(0, 27) + "…" : node.label;
  link.append(svg("text", { x, y: y - 12, class: "label" }, label));
  link.append(svg("title", {}, node.label));
  group.append(link);
}

function drawNeighbourhood(container, answer) {
  const nodes = answer.nodes.slice(0, 40);
  const width = 760, height = 460, cx = width / 2, cy = height / 2;
  const place = new Map();
  const ring = nodes.filter((n) => n.distance > 0);
  nodes.forEach((n) => { if (n.distance === 0) place.set(n.iri, [cx, cy]); });
  ring.forEach((n, i) => {
    const angle = (2 * Math.PI * i) / Math.max(ring.length, 1) - Math.PI / 2;
    const radius = n.distance === 1 ? 170 : 210;
    place.set(n.iri, [cx + radius * 1.9 * Math.cos(angle), cy + radius * Math.sin(angle)]);
  });
  const picture = svg("svg", { viewBox: "0 0 " + width + " " + height, class: "graph", role: "img", "aria-label": "Neighbourhood of " + answer.centre.label });
  for (const edge of answer.edges) {
    const a = place.get(edge.from.iri), b = place.get(edge.to.iri);
    if (!a || !b) continue;
    const line = svg("line", { x1: a[0], y1: a[1], x2: b[0], y2: b[1], class: "edge" });
    line.append(svg("title", {}, edge.from.label + " " + edge.predicate.label + " " + edge.to.label));
    picture.append(line);
  }
  for (const node of nodes) {
    const p = place.get(node.iri);
    nodeShape(picture, p[0], p[1], node, node.distance === 0);
  }
  container.append(el("h3", {}, "Neighbourhood" + (answer.truncated ? " (truncated)" : "")), picture);
}

// ---- Paths ----

async function showPath(from, to, k) {
  const result = document.getElementById("path-result");
  const panel = document.getElementById("hop-evidence");
  if (from) document.getElementById("path-from").value = from;
  if (to) document.getElementById("path-to").value = to;
  if (k) document.getElementById("path-k").value = k;
  result.replaceChildren();
  panel.hidden = true;
  if (!from || !to) return;
  status("Searching paths…");
  const answer = await api("/api/path", { from, to, k: k || 3 });
  status("");
  if (!answer.ok) { result.append(problem(answer.body)); return; }
  const paths = answer.body.paths;
  if (!paths.length) {
    result.append(el("p", { class: "error" }, "No path from " + answer.body.from.label + " to " + answer.body.to.label +
      (answer.body.truncated ? " (the search was truncated)" : "")));
    return;
  }
  result.append(el("p", {}, paths.length + " path" + (paths.length > 1 ? "s" : "") + " from ",
    entityLink(answer.body.from), " to ", entityLink(answer.body.to),
    answer.body.truncated ? " (truncated)" : "", ". Select a hop to read its evidence."));
  result.append(drawPaths(paths, panel));
  const list = el("ol", { class: "paths" });
  paths.forEach((path, p) => {
    const item = el("li", {});
    path.hops.forEach((hop, h) => {
      if (h === 0) item.append(entityLink(hop.from));
      item.append(" ", el("button", { type: "button", class: "hop", "data-path": p, "data-hop": h,
        onclick: () => showHop(panel, hop) }, (hop.direction === "forward" ? "—" + hop.predicate.label + "→" : "←" + hop.predicate.label + "—")), " ", entityLink(hop.to));
    });
    list.append(item);
  });
  result.append(list);
}

function showHop(panel, hop) {
  panel.replaceChildren(
    el("h3", {}, hop.from.label + " " + (hop.direction === "forward" ? "—" : "←") + hop.predicate.label + (hop.direction === "forward" ? "→ " : "— ") + hop.to.label),
    evidenceList(hop.evidence));
  panel.hidden = false;
  panel.scrollIntoView({ block: "nearest" });
}

function drawPaths(paths, panel) {
  const columnWidth = 210, rowHeight = 110, margin = 70;
  const columns = Math.max(...paths.map((p) => p.hops.length)) + 1;
  const place = new Map();
  paths.forEach((path, row) => {
    const nodes = [path.hops[0].from, ...path.hops.map((h) => h.to)];
    nodes.forEach((node, column) => {
      if (!place.has(node.iri)) place.set(node.iri, { node, x: margin + column * columnWidth, y: margin + row * rowHeight });
    });
  });
  const width = margin * 2 + (columns - 1) * columnWidth;
  const height = margin * 2 + (paths.length - 1) * rowHeight;
  const picture = svg("svg", { viewBox: "0 0 " + width + " " + height, class: "graph paths-graph", role: "img", "aria-label": "Paths" });
  const seen = new Set();
  const between = new Map();
  paths.forEach((path) => path.hops.forEach((hop) => {
    const key = hop.from.iri + " " + hop.predicate.iri + " " + hop.to.iri;
    if (seen.has(key)) return;
    seen.add(key);
    const a = place.get(hop.from.iri), b = place.get(hop.to.iri);
    // Several facts between the same two entities: stack their labels.
    const pair = [hop.from.iri, hop.to.iri].sort().join(" ");
    const stacked = between.get(pair) || 0;
    between.set(pair, stacked + 1);
    const group = svg("g", { class: "hop-edge", tabindex: 0, role: "button", "aria-label": hop.predicate.label });
    group.append(svg("line", { x1: a.x, y1: a.y, x2: b.x, y2: b.y, class: "edge" }));
    group.append(svg("text", { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 - 6 + stacked * 15, class: "edge-label" },
      hop.direction === "forward" ? hop.predicate.label + " →" : "← " + hop.predicate.label));
    group.addEventListener("click", () => showHop(panel, hop));
    group.addEventListener("keydown", (event) => { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); showHop(panel, hop); } });
    picture.append(group);
  }));
  for (const { node, x, y } of place.values()) nodeShape(picture, x, y, node, false);
  return picture;
}

// ---- SPARQL ----

async function runSparql(query) {
  const error = document.getElementById("sparql-error");
  const result = document.getElementById("sparql-result");
  const text = document.getElementById("sparql-text");
  text.value = query;
  error.hidden = true;
  result.replaceChildren();
  if (!query.trim()) return;
  status("Running the query…");
  const started = performance.now();
  const response = await fetch("/sparql", {
    method: "POST",
    headers: headers({ "Content-Type": "application/x-www-form-urlencoded", Accept: "application/sparql-results+json, text/turtle;q=0.9" }),
    body: new URLSearchParams({ query }).toString(),
  });
  const elapsed = Math.round(performance.now() - started);
  status("");
  const type = response.headers.get("content-type") || "";
  if (!response.ok) {
    let body = { error: "the query failed (" + response.status + ")" };
    try { body = await response.json(); } catch (e) { /* not JSON */ }
    const where = body.line ? "Line " + body.line + ", column " + body.column + ": " : "";
    error.textContent = where + body.error;
    error.hidden = false;
    if (body.line) selectPosition(text, body.line, body.column);
    return;
  }
  const truncated = response.headers.get("kg-truncated") === "true";
  if (type.startsWith("application/sparql-results+json")) {
    const data = await response.json();
    if ("boolean" in data) {
      result.append(el("p", { class: "boolean" }, data.boolean ? "yes" : "no"));
      return;
    }
    const vars = data.head.vars;
    const table = el("table", { class: "results" }, el("thead", {}, el("tr", {}, ...vars.map((v) => el("th", {}, "?" + v)))));
    const body = el("tbody", {});
    for (const binding of data.results.bindings) {
      body.append(el("tr", {}, ...vars.map((v) => el("td", {}, term(binding[v])))));
    }
    table.append(body);
    result.append(el("p", { class: "meta" }, data.results.bindings.length + " rows in " + elapsed + " ms" +
      (truncated ? " — truncated at the server's row limit" : "")), table);
  } else {
    result.append(el("p", { class: "meta" }, type + " in " + elapsed + " ms" + (truncated ? " — truncated" : "")),
      el("pre", {}, await response.text()));
  }
}

function term(value) {
  if (!value) return "";
  if (value.type === "uri") {
    const link = el("a", { href: "#" + new URLSearchParams({ view: "entity", name: value.value }), title: value.value }, compact(value.value));
    return link;
  }
  if (value.type === "bnode") return "_:" + value.value;
  return value.value + (value["xml:lang"] ? "@" + value["xml:lang"] : "");
}

function selectPosition(textarea, line, column) {
  const lines = textarea.value.split("\n");
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
  offset += Math.max(column - 1, 0);
  textarea.focus();
  textarea.setSelectionRange(offset, Math.min(offset + 1, textarea.value.length));
}

// ---- Views ----

function render() {
  // A view change closes the suggestion lists, except under the box the person is typing in
  // (a late first render must not take away what they are choosing from).
  for (const list of document.querySelectorAll(".suggestions")) {
    const owner = document.querySelector(`[aria-controls="${list.id}"]`);
    if (owner !== document.activeElement) list.hidden = true;
  }
  const params = state();
  const view = params.get("view") || "entity";
  for (const section of document.querySelectorAll("main > section")) section.hidden = section.dataset.view !== view;
  for (const link of document.querySelectorAll("nav a")) {
    if (link.dataset.view === view) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  if (view === "entity") showEntity(params.get("name") || "");
  else if (view === "path") showPath(params.get("from"), params.get("to"), params.get("k"));
  else if (view === "sparql") {
    const query = params.get("query");
    if (query !== null) runSparql(query);
  }
}

async function start() {
  const token = document.getElementById("token");
  token.value = sessionStorage.getItem("kg-token") || "";
  token.addEventListener("change", () => { sessionStorage.setItem("kg-token", token.value); render(); });
  for (const input of document.querySelectorAll("input[role=combobox]")) combo(input);
  document.getElementById("entity-form").addEventListener("submit", (event) => {
    event.preventDefault();
    go({ view: "entity", name: nameOf(document.getElementById("entity-name")) });
  });
  document.getElementById("path-form").addEventListener("submit", (event) => {
    event.preventDefault();
    go({ view: "path", from: nameOf(document.getElementById("path-from")), to: nameOf(document.getElementById("path-to")),
      k: document.getElementById("path-k").value });
  });
  const text = document.getElementById("sparql-text");
  document.getElementById("sparql-form").addEventListener("submit", (event) => {
    event.preventDefault();
    go({ view: "sparql", query: text.value });
  });
  text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      go({ view: "sparql", query: text.value });
    }
  });
  window.addEventListener("hashchange", render);
  const info = await api("/api/info");
  if (info.ok) {
    prefixes = info.body.prefixes || {};
    document.getElementById("title").textContent = info.body.title || "";
    const list = document.getElementById("prefix-list");
    for (const [prefix, namespace] of Object.entries(prefixes)) list.append(el("dt", {}, prefix + ":"), el("dd", {}, namespace));
    if (!text.value) text.value = "SELECT ?person ?label WHERE {\n  ?person a pto:Person ; rdfs:label ?label .\n} ORDER BY ?label LIMIT 20";
  }
  render();
}

document.addEventListener("DOMContentLoaded", start);
