"use strict";
(function () {
  // Every string from a source reaches the page through textContent: never innerHTML.
  var data = JSON.parse(document.getElementById("sg-data").textContent);
  var filters = data.filters;

  // Text from a source may be Arabic or Hebrew: every element holding text takes its direction from
  // its first strong letter (dir="auto"), and a label inside an English phrase is isolated in a <bdi>
  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); node.dir = "auto"; }
    if (className) node.className = className;
    return node;
  }
  // an element holding an English phrase with labels: parts are strings, or {label: text} put in a <bdi>
  function phrase(tag, parts, className) {
    var node = el(tag, null, className);
    parts.forEach(function (part) {
      if (typeof part === "string") node.appendChild(document.createTextNode(part));
      else add(node, el("bdi", part.label));
    });
    return node;
  }
  function add(parent, child) { parent.appendChild(child); return child; }
  function $(id) { return document.getElementById(id); }

  var CLASS_NAMES = { actor: "Actor", proposal: "Proposal", condition: "Condition" };
  // lookups keyed by ids from the data: objects without a prototype, so that no id ("constructor",
  // "__proto__") can meet an inherited property
  function table() { return Object.create(null); }
  var nodeById = table(), edgeById = table(), sourceById = table(), adjacency = table();
  data.nodes.forEach(function (n) { nodeById[n.id] = n; adjacency[n.id] = []; });
  data.edges.forEach(function (e) {
    edgeById[e.id] = e;
    adjacency[e.from].push(e.id);
    if (e.to !== e.from) adjacency[e.to].push(e.id);
  });
  filters.sources.forEach(function (s) { sourceById[s.id] = s; });
  function nodeLabel(id) { return nodeById[id] ? whole(nodeById[id]) : id; }
  function edgeTitle(tag, e, more, className) {
    return phrase(tag, [{ label: nodeLabel(e.from) }, " " + e.relationLabel + " ", { label: nodeLabel(e.to) }, more || ""], className);
  }
  function safeUrl(url) {
    if (typeof url !== "string") return null;
    try {
      var parsed = new URL(url);
      return (parsed.protocol === "http:" || parsed.protocol === "https:") ? parsed.href : null;
    } catch (e) { return null; }
  }

  // ------------------------------------------------------------------ statements and tooltips
  function sourceLine(st) {
    var s = sourceById[st.source] || {};
    return [s.title, s.publisher, st.date].filter(Boolean).join(" \u2014 ");
  }
  function statementMeta(st) {
    var bits = [];
    if (st.according_to && st.according_to.length) bits.push("according to " + st.according_to.join(" \u2192 "));
    if (st.hedges && st.hedges.length) bits.push("hedged: " + st.hedges.join(", "));
    if (st["if"] && st["if"].length) bits.push("if: " + st["if"].map(nodeLabel).join(", "));
    if (st.until && st.until.length) bits.push("until: " + st.until.map(nodeLabel).join(", "));
    if (st.regarding) bits.push("regarding: " + nodeLabel(st.regarding));
    if (st.status) bits.push("condition " + st.status);
    if (st.since) bits.push("since " + st.since);
    if (st.quantity) bits.push((st.quantity.approximate ? "about " : "") + st.quantity.value + (st.quantity.unit ? " " + st.quantity.unit : ""));
    return bits.join("; ");
  }
  function statementBlock(st) {
    var box = el("div", null, "sg-statement");
    add(box, el("p", "\u201c" + (st.quote || "") + "\u201d", "sg-quote"));
    add(box, el("div", sourceLine(st), "sg-meta sg-source"));
    var meta = statementMeta(st);
    if (meta) add(box, el("div", meta, "sg-meta"));
    if (st.note) add(box, el("div", st.note, "sg-meta"));
    var url = safeUrl((sourceById[st.source] || {}).url);
    if (url) {
      var link = add(box, el("a", "Open the source", "sg-link"));
      link.href = url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
    }
    return box;
  }
  function whole(n) {  // the label in full (the canvas draws a sentence by its short label)
    return n.label === n.defaultLabel && n.fullLabel ? n.fullLabel : n.label;
  }
  function nodeTooltip(n) {
    var box = el("div", null, "sg-tooltip");
    add(box, el("strong", whole(n)));
    add(box, el("div", CLASS_NAMES[n.cls] + (n.kind ? " \u00b7 " + n.kind : ""), "sg-class"));
    if (n.aliases && n.aliases.length) add(box, el("div", "also: " + n.aliases.join(", "), "sg-meta"));
    if (n.description) add(box, el("div", n.description, "sg-meta"));
    if (n.unmet) add(box, el("div", "stated as unmet", "sg-meta"));
    return box;
  }
  function edgeTooltip(e) {
    var box = el("div", null, "sg-tooltip");
    add(box, edgeTitle("strong", e));
    if (e.stance) add(box, el("div", "stance: " + e.stance, "sg-class"));
    e.statements.slice(0, 3).forEach(function (st) {
      add(box, el("div", "\u201c" + (st.quote || "") + "\u201d", "sg-quote"));
      add(box, el("div", sourceLine(st), "sg-meta"));
    });
    if (e.statements.length > 3) add(box, el("div", "\u2026 and " + (e.statements.length - 3) + " more: click the edge", "sg-meta"));
    return box;
  }

  // ------------------------------------------------------------------ filter state
  var dates = filters.dates;
  var state = {
    classes: new Set(filters.classes.map(function (c) { return c.key; })),
    stances: new Set(filters.stances),
    relations: new Set(filters.relations.map(function (r) { return r.key; })),
    sources: new Set(filters.sources.map(function (s) { return s.id; })),
    dateIndex: Math.max(dates.length - 1, 0),
    fromIndex: 0,  // the range's first date (0: from the beginning)
    changes: false,  // "Mark what changed in the range": statements before the range are shown, as the "before"
    focus: null,
  };
  var visibleNodes = new Set(), visibleEdges = new Set();
  var network = null;  // the vis.Network, once drawn

  function wholeTime() { return state.dateIndex >= dates.length - 1 && (state.fromIndex <= 0 || state.changes); }
  function unfiltered() {
    return state.stances.size === filters.stances.length && state.relations.size === filters.relations.length &&
      state.sources.size === filters.sources.length && wholeTime();
  }
  // Dates read as the command line reads them (output/periods.py): 2024-03 is the span of March's days. A
  // statement is in the range when its span overlaps it; "before" a date when its first day is on or before
  // that date's last. Day 31 of every month: the comparison is of text, and no date falls after it.
  function firstDay(d) { return d.length === 4 ? d + "-01-01" : d.length === 7 ? d + "-01" : d.slice(0, 10); }
  function lastDay(d) { return d.length === 4 ? d + "-12-31" : d.length === 7 ? d + "-31" : d.slice(0, 10); }
  function statementVisible(st) {
    if (!state.sources.has(st.source)) return false;
    if (wholeTime()) return true;
    if (!st.date) return false;
    if (state.fromIndex > 0 && !state.changes && lastDay(st.date) < firstDay(dates[state.fromIndex])) return false;
    return state.dateIndex >= dates.length - 1 || firstDay(st.date) <= lastDay(dates[state.dateIndex]);
  }
  function edgeVisible(e) {
    if (!state.relations.has(e.relation)) return false;
    if (e.stance && !stanceShown(e)) return false;
    if (!state.classes.has(nodeById[e.from].cls) || !state.classes.has(nodeById[e.to].cls)) return false;
    if (state.focus && !(state.focus.has(e.from) && state.focus.has(e.to))) return false;
    return e.statements.length === 0 || e.statements.some(statementVisible);
  }
  function compute() {
    visibleEdges = new Set();
    var touched = new Set(), registry = [];
    // with a source or date filter, a relation no source states (the registry's "part of") is shown only
    // between nodes shown for what the kept statements say: it brings in no node a later source names
    var narrowed = state.sources.size !== filters.sources.length || !wholeTime();
    data.edges.forEach(function (e) {
      if (!edgeVisible(e)) return;
      if (narrowed && e.statements.length === 0) { registry.push(e); return; }
      visibleEdges.add(e.id); touched.add(e.from); touched.add(e.to);
    });
    registry.forEach(function (e) { if (touched.has(e.from) && touched.has(e.to)) visibleEdges.add(e.id); });
    var all = unfiltered();
    visibleNodes = new Set();
    data.nodes.forEach(function (n) {
      if (!state.classes.has(n.cls)) return;
      if (state.focus && !state.focus.has(n.id)) return;
      if (all || touched.has(n.id)) visibleNodes.add(n.id);
    });
  }

  var visNodes = new vis.DataSet(data.nodes);
  var visEdges = new vis.DataSet(data.edges);
  var nodesView = new vis.DataView(visNodes, { filter: function (n) { return visibleNodes.has(n.id); } });
  var edgesView = new vis.DataView(visEdges, { filter: function (e) { return visibleEdges.has(e.id); } });

  function apply() {
    compute();
    discourseMode();
    outletsShown();
    nodesView.refresh();
    edgesView.refresh();
    $("sg-shown").textContent = (visibleNodes.size === data.nodes.length && visibleEdges.size === data.edges.length)
      ? "" : "showing " + visibleNodes.size + " of " + data.nodes.length + " nodes, " + visibleEdges.size + " of " + data.edges.length + " relations";
    document.body.setAttribute("data-visible-nodes", String(visibleNodes.size));
    document.body.setAttribute("data-visible-edges", String(visibleEdges.size));
    if (network) refit();
    refreshPanel();
    if (network && changeStyled) markChanges();  // once the changes' code below has run
  }

  // ------------------------------------------------------------------ legible labels
  // After every fit: no two visible
  // labels overlapping: the labels of the best-connected nodes are kept, a label that would overlap a kept
  // one is hidden (transparent; the tooltip and the panel still give it).
  var BASE_FONT = (data.options.nodes && data.options.nodes.font && data.options.nodes.font.size) || 16;
  // MIN_LABEL_PX: labels at least this tall on screen up to LEGIBLE_MAX_NODES nodes (the fonts grow after the
  // fit; spread() then keeps half a font between boxes so that short edges can still be hovered and clicked)
  var MIN_LABEL_PX = 12, LEGIBLE_MAX_NODES = 150, hiddenLabels = new Set(), fontSize = BASE_FONT;
  var degree = table();
  data.nodes.forEach(function (n) { degree[n.id] = adjacency[n.id].length; });
  function setFonts(size, hidden) {
    var changes = [];
    data.nodes.forEach(function (n) {
      var wasHidden = hiddenLabels.has(n.id), isHidden = hidden.has(n.id);
      if (size === fontSize && wasHidden === isHidden) return;
      var color = (n.font && n.font.color) || "#212121";
      changes.push({ id: n.id, font: { color: isHidden ? "rgba(0,0,0,0)" : color, size: size } });
    });
    fontSize = size;
    hiddenLabels = hidden;
    if (changes.length) visNodes.update(changes);
  }
  function labelBoxes() {  // canvas boxes of the labels drawn, best-connected first
    var boxes = [];
    network.body.nodeIndices.forEach(function (id) {
      var node = network.body.nodes[id], size = node.labelModule && node.labelModule.size;
      if (!size || !size.width || !size.height || !node.options.label) return;
      boxes.push({ id: id, left: size.left, top: size.top, right: size.left + size.width, bottom: size.top + size.height });
    });
    boxes.sort(function (a, b) { return (degree[b.id] - degree[a.id]) || (a.id < b.id ? -1 : 1); });
    return boxes;
  }
  function declutter() {
    var boxes = labelBoxes(), kept = [], hidden = new Set();
    var cell = 200, grid = new Map();
    boxes.forEach(function (b) {
      var x0 = Math.floor(b.left / cell), x1 = Math.floor(b.right / cell), y0 = Math.floor(b.top / cell), y1 = Math.floor(b.bottom / cell);
      var clash = false, x, y, k;
      for (x = x0; x <= x1 && !clash; x++) for (y = y0; y <= y1 && !clash; y++) {
        var there = grid.get(x + "," + y) || [];
        for (k = 0; k < there.length; k++) {
          var o = there[k];
          if (b.left < o.right && o.left < b.right && b.top < o.bottom && o.top < b.bottom) { clash = true; break; }
        }
      }
      if (clash) { hidden.add(b.id); return; }
      kept.push(b);
      for (x = x0; x <= x1; x++) for (y = y0; y <= y1; y++) {
        var key = x + "," + y;
        if (!grid.has(key)) grid.set(key, []);
        grid.get(key).push(b);
      }
    });
    setFonts(fontSize, hidden);
    document.body.setAttribute("data-legible", "true");
    document.body.setAttribute("data-drawn", "true");  // drawn and settled: what the tests and users look at
    document.body.setAttribute("data-hidden-labels", String(hidden.size));
  }
  // Up to LEGIBLE_MAX_NODES nodes: push apart the nodes whose boxes (shape and label) overlap, a few
  // rounds of moving each pair apart along the axis where they overlap least. True when something moved.
  function spread() {
    var ids = network.body.nodeIndices.slice(), boxes = [], pad = fontSize * 0.5, moved = false;
    ids.forEach(function (id) {
      var b = network.getBoundingBox(id), p = network.getPositions([id])[id];
      boxes.push({ id: id, x: p.x, y: p.y, l: b.left - p.x - pad, r: b.right - p.x + pad, t: b.top - p.y - pad, b: b.bottom - p.y + pad });
    });
    for (var round = 0; round < 60; round++) {
      var any = false;
      for (var i = 0; i < boxes.length; i++) for (var j = i + 1; j < boxes.length; j++) {
        var a = boxes[i], c = boxes[j];
        var dx = Math.min(a.x + a.r, c.x + c.r) - Math.max(a.x + a.l, c.x + c.l);
        var dy = Math.min(a.y + a.b, c.y + c.b) - Math.max(a.y + a.t, c.y + c.t);
        if (dx <= 0 || dy <= 0) continue;
        any = true;
        if (dx < dy) { var sx = (a.x <= c.x ? -1 : 1) * (dx / 2 + 0.5); a.x += sx; c.x -= sx; }
        else { var sy = (a.y <= c.y ? -1 : 1) * (dy / 2 + 0.5); a.y += sy; c.y -= sy; }
      }
      if (!any) break;
      moved = true;
    }
    if (moved) boxes.forEach(function (b) { network.moveNode(b.id, b.x, b.y); });
    return moved;
  }
  function refit(round) {
    round = round || 0;
    document.body.removeAttribute("data-legible");
    network.fit({ animation: false });
    var wanted = BASE_FONT, small = visibleNodes.size <= LEGIBLE_MAX_NODES;
    if (small) wanted = Math.max(BASE_FONT, Math.ceil(MIN_LABEL_PX / Math.max(network.getScale(), 0.01)));
    setFonts(Math.max(wanted, round ? fontSize : 0), new Set());  // every label back at the size wanted
    network.once("afterDrawing", function () {
      window.setTimeout(function () {
        // boxes known after a draw: spread them, fit again (labels may now be too small) at most 3 times,
        // then hide the labels that still overlap
        if (small && round < 3 && spread()) refit(round + 1); else declutter();
      }, 0);
    });
    network.redraw();
  }

  // ------------------------------------------------------------------ controls
  function checkbox(parent, set, key, text) {
    var label = add(parent, el("label"));
    var box = add(label, el("input"));
    box.type = "checkbox";
    box.checked = true;
    box.value = key;
    box.addEventListener("change", function () {
      if (box.checked) set.add(key); else set.delete(key);
      apply();
    });
    add(label, document.createTextNode(" " + text));
  }
  filters.classes.forEach(function (c) { checkbox($("sg-filter-class"), state.classes, c.key, c.label); });
  filters.stances.forEach(function (s) { checkbox($("sg-filter-stance"), state.stances, s, s); });
  filters.relations.forEach(function (r) { checkbox($("sg-filter-relation"), state.relations, r.key, r.label); });
  filters.sources.forEach(function (s) {
    checkbox($("sg-filter-source"), state.sources, s.id, [s.title || s.id, s.publisher, s.published].filter(Boolean).join(" \u2014 "));
  });
  function resetFilters() {
    document.querySelectorAll("#sg-filters input[type=checkbox]").forEach(function (box) {
      if (!box.checked) { box.checked = true; box.dispatchEvent(new Event("change")); }
    });
    timeline.value = String(dates.length - 1);
    timeline.dispatchEvent(new Event("input"));
    timelineFrom.value = "0";
    timelineFrom.dispatchEvent(new Event("input"));
  }
  $("sg-reset").addEventListener("click", resetFilters);

  var timeline = $("sg-timeline"), timelineFrom = $("sg-timeline-from");
  if (dates.length < 2) {
    $("sg-timeline-box").hidden = true;
  } else {
    timeline.max = timelineFrom.max = String(dates.length - 1);
    timeline.value = String(dates.length - 1);
    timelineFrom.value = "0";
  }
  function showDate() {
    $("sg-timeline-date").textContent = dates.length ? dates[state.dateIndex] + (state.dateIndex >= dates.length - 1 ? " (all)" : "") : "";
    $("sg-timeline-from-date").textContent = dates.length ? (state.fromIndex <= 0 && !state.changes ? "the beginning" : dates[state.fromIndex]) : "";
    $("sg-range-text").textContent = !dates.length ? "" : (state.fromIndex <= 0 && state.dateIndex >= dates.length - 1)
      ? "all dates" : (state.fromIndex <= 0 ? "up to " : "from " + dates[state.fromIndex] + " to ") + dates[state.dateIndex];
  }
  timeline.addEventListener("input", function () {
    state.dateIndex = Number(timeline.value);
    if (state.fromIndex > state.dateIndex) { state.fromIndex = state.dateIndex; timelineFrom.value = String(state.fromIndex); }
    showDate();
    apply();
  });
  timelineFrom.addEventListener("input", function () {
    state.fromIndex = Number(timelineFrom.value);
    if (state.fromIndex > state.dateIndex) { state.dateIndex = state.fromIndex; timeline.value = String(state.dateIndex); }
    showDate();
    apply();
  });
  showDate();

  function setFocus(id, depth) {
    var reach = new Set([id]), frontier = [id];
    for (var step = 0; step < depth; step++) {
      var next = [];
      frontier.forEach(function (n) {
        adjacency[n].forEach(function (eid) {
          var e = edgeById[eid];
          [e.from, e.to].forEach(function (m) { if (!reach.has(m)) { reach.add(m); next.push(m); } });
        });
      });
      frontier = next;
    }
    state.focus = reach;
    state.focusOn = { id: id, depth: depth };  // what the page's address keeps (shareable state)
    $("sg-focus-label").replaceChildren(phrase("span", ["Neighbourhood of ", { label: nodeLabel(id) }, " (" + depth + (depth === 1 ? " step)" : " steps)")]));
    $("sg-focus-box").hidden = false;
    apply();
    network.fit({ nodes: Array.from(visibleNodes), animation: false });
  }
  $("sg-show-all").addEventListener("click", function () {
    state.focus = null;
    $("sg-focus-box").hidden = true;
    apply();
    network.fit({ animation: false });
  });

  var search = $("sg-search"), results = $("sg-search-results");
  function matches(q) {
    q = q.trim().toLocaleLowerCase();
    if (!q) return [];
    // word by word, across the label, the full label, the id, the aliases and the labels in every language:
    // "palestinian force" finds the Palestinian-led force
    var words = q.split(/\s+/);
    return data.nodes.filter(function (n) {
      var names = [n.label, n.fullLabel || "", n.key].concat(n.aliases || [], Object.values(n.labels || {}))
        .join("\n").toLocaleLowerCase();
      return words.every(function (w) { return names.indexOf(w) >= 0; });
    }).slice(0, 25);
  }
  search.addEventListener("input", function () {
    results.replaceChildren();
    matches(search.value).forEach(function (n) {
      var button = add(add(results, el("li")), phrase("button", [{ label: n.label }, " \u00b7 " + CLASS_NAMES[n.cls]]));
      button.type = "button";
      button.setAttribute("data-node", n.id);
      button.addEventListener("click", function () { select(n.id); });
    });
  });
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var first = matches(search.value)[0];
      if (first) select(first.id);
    }
  });
  function select(id) {
    if (mode && mode !== "stances" && nodeById[id].cls !== "actor") setMode("stances");  // drawn in the graph only
    if (!visibleNodes.has(id)) {  // make it visible: clear the focus and the filters that hide it
      state.focus = null; $("sg-focus-box").hidden = true;
      state.classes.add(nodeById[id].cls);
      document.querySelectorAll("#sg-filter-class input").forEach(function (b) { if (b.value === nodeById[id].cls) b.checked = true; });
      apply();
      if (!visibleNodes.has(id)) resetFilters();  // hidden by a stance, relation, source or date filter
    }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    showNode(id);
  }

  // ------------------------------------------------------------------ the dataset: who made it, on which terms
  function showDataset(about) {
    if (!about) return;
    var box = $("sg-about");
    if (about.description) add(box, el("span", about.description, "sg-about-text")).title = about.description;
    if (about.authors && about.authors.length) add(box, el("span", "By " + about.authors.join(", "), "sg-meta"));
    var license = safeUrl(about.license);
    if (license) {
      var a = el("a", "License", "sg-meta");
      a.href = license; a.rel = "license noopener noreferrer"; a.target = "_blank";
      add(box, a);
    }
    var home = safeUrl(about.url);
    if (home) {
      var h = el("a", "Published at", "sg-meta");
      h.href = home; h.rel = "noopener noreferrer"; h.target = "_blank";
      add(box, h);
    }
    box.hidden = false;
  }
  showDataset(data.dataset);

  // ------------------------------------------------------------------ legend and counts
  $("sg-counts").textContent = data.counts.actor + " actors \u00b7 " + data.counts.proposal + " proposals \u00b7 " +
    data.counts.condition + " conditions \u00b7 " + data.edges.length + " relations";
  data.legend.forEach(function (item) {
    var li = el("li");
    if (item.group === "node") {
      var sw = el("span", null, "sg-swatch " + item.shape);
      if (item.shape === "unmet") sw.style.borderColor = item.color; else sw.style.background = item.color;
      add(li, sw);
      add($("sg-legend-nodes"), li);
    } else {
      var line = el("span", null, "sg-line" + (item.dashes ? " dashed" : ""));
      line.style.borderTopColor = item.color;
      add(li, line);
      add($(item.group === "stance" ? "sg-legend-stances" : "sg-legend-edges"), li);
    }
    add(li, el("span", item.label));
  });
  ["sg-legend-nodes", "sg-legend-stances", "sg-legend-edges"].forEach(function (id) {
    var list = $(id);
    if (!list.children.length) {
      list.hidden = true;
      var heading = list.previousElementSibling;
      if (heading && heading.tagName === "H3") heading.hidden = true;
    }
  });

  // ------------------------------------------------------------------ details panel
  var details = $("sg-details"), body = $("sg-details-body");
  var shownInPanel = null;  // what the panel shows, redrawn when the labels change language
  var current = null;  // the node ({node: id}) or edge ({edge: id}) the panel shows, kept in the page's address
  function showNode(id) {
    var n = nodeById[id];
    shownInPanel = function () { showNode(id); };
    body.replaceChildren();
    add(body, el("div", CLASS_NAMES[n.cls] + (n.kind ? " \u00b7 " + n.kind : ""), "sg-class"));
    add(body, el("h2", whole(n)));
    if (n.aliases && n.aliases.length) add(body, el("p", "Also: " + n.aliases.join(", "), "sg-meta"));
    if (n.description) add(body, el("p", n.description));
    if (n.wikidata) add(body, el("p", "Wikidata: " + n.wikidata, "sg-meta"));
    if (n.unmet) add(body, el("p", "Its latest statements give this condition as unmet.", "sg-meta sg-unmet"));
    current = { node: id };
    var actions = add(body, el("div", null, "sg-actions"));
    [1, 2].forEach(function (depth) {
      var b = add(actions, el("button", depth === 1 ? "Show neighbourhood" : "2 steps"));
      b.type = "button";
      b.className = "sg-neighbourhood";
      b.setAttribute("data-depth", String(depth));
      b.addEventListener("click", function () { setFocus(id, depth); });
    });
    questionsForNode(id);
    if (n.cls === "proposal") blockersSection(id);
    relationGroups(id);
    reveal();
  }
  function reveal() {  // the panel sits below the search and filters: bring it into the side bar's view
    details.hidden = false;
    // scroll the side bar only: scrollIntoView would scroll the page too, and cut off the header
    var side = $("sg-side"), top = details.offsetTop - side.offsetTop;
    if (top < side.scrollTop || top > side.scrollTop + side.clientHeight - 40) side.scrollTop = top;
  }
  function showEdge(id) {
    if (showDiscourseEdge(id)) return;
    var e = edgeById[id];
    shownInPanel = function () { showEdge(id); };
    body.replaceChildren();
    add(body, el("div", e.stance ? "stance: " + e.stance : "relation", "sg-class"));
    add(body, edgeTitle("h2", e));
    current = { edge: id };
    e.statements.forEach(function (st) { add(body, statementBlock(st)); });
    whoElseOnEdge(e);
    reveal();
  }
  $("sg-close").addEventListener("click", function () { details.hidden = true; current = null; });

  // ------------------------------------------------------------------ network
  compute();
  var container = $("sg-network");
  network = new vis.Network(container, { nodes: nodesView, edges: edgesView }, data.options);
  var tooltip = $("sg-tooltip");
  function showTooltip(content, params) {
    tooltip.replaceChildren(content);
    var rect = container.getBoundingClientRect();
    var x = rect.left + params.pointer.DOM.x + 14, y = rect.top + params.pointer.DOM.y + 14;
    tooltip.style.left = Math.min(x, window.innerWidth - 340) + "px";
    tooltip.style.top = Math.min(y, window.innerHeight - 120) + "px";
    tooltip.hidden = false;
  }
  function hideTooltip() { tooltip.hidden = true; }
  network.on("hoverNode", function (params) { showTooltip(nodeTooltip(nodeById[params.node]), params); });
  network.on("hoverEdge", function (params) { showTooltip(edgeById[params.edge] ? edgeTooltip(edgeById[params.edge]) : discourseTooltip(params.edge), params); });
  ["blurNode", "blurEdge", "dragStart", "zoom"].forEach(function (ev) { network.on(ev, hideTooltip); });
  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
  });
  network.once("afterDrawing", function () {
    window.stancegraphDrawnAt = performance.now();
  });
  apply();
  if (data.focus && nodeById[data.focus]) {
    network.selectNodes([data.focus]);
    showNode(data.focus);
  }
  // ------------------------------------------------------------------ node size by a measure
  var measures = { fixed: function (n) { return null; }, degree: function (n) { return degree[n.id]; } };
  measures.sources = function (n) {
    var seen = new Set();
    adjacency[n.id].forEach(function (eid) { edgeById[eid].statements.forEach(function (st) { seen.add(st.source); }); });
    return seen.size;
  };
  function sizeBy(name) {
    var measure = measures[name] || measures.fixed, values = table(), top = 0;
    data.nodes.forEach(function (n) { values[n.id] = measure(n); top = Math.max(top, values[n.id] || 0); });
    visNodes.update(data.nodes.map(function (n) {  // dots and diamonds: 8 to 32 by the square root of the measure
      var v = values[n.id];
      return { id: n.id, size: v === null ? n.size : 8 + 24 * Math.sqrt(v / (top || 1)) };
    }));
    document.body.setAttribute("data-size-by", name);
    refit();
  }
  $("sg-size").addEventListener("change", function () { sizeBy($("sg-size").value); });

  // ------------------------------------------------------------------ language of the labels
  data.nodes.forEach(function (n) { n.defaultLabel = n.label; });
  function relabel(lang) {
    data.nodes.forEach(function (n) {
      var named = n.labels && n.labels[lang];  // a sentence in that language stays drawn by its short label
      n.label = named && named !== n.fullLabel ? named : n.defaultLabel;
    });
    visNodes.update(data.nodes.map(function (n) { return { id: n.id, label: n.label }; }));
    document.documentElement.lang = lang;
    document.body.setAttribute("data-lang", lang);
    if (!details.hidden && shownInPanel) shownInPanel();
  }
  function languageName(tag) {
    try { return new Intl.DisplayNames([tag], { type: "language" }).of(tag) + " (" + tag + ")"; } catch (e) { return tag; }
  }
  if (data.languages.length > 1) {
    var chooser = $("sg-lang");
    data.languages.forEach(function (tag) {
      var option = add(chooser, el("option", languageName(tag)));
      option.value = tag;
      option.lang = tag;
    });
    chooser.value = data.lang;
    chooser.addEventListener("change", function () { relabel(chooser.value); });
    $("sg-lang-box").hidden = false;
  }
  document.body.setAttribute("data-lang", data.lang);

  // ------------------------------------------------------------------ questions as tools (issue 13, part 5)
  // Neighbourhood of N steps, shortest path between two chosen nodes, who else holds a stance on a proposal.
  // Every label reaches the panel through el()/phrase(), that is textContent.
  var MAX_DEPTH = 20;
  var pathEnds = { from: null, to: null };  // the nodes chosen as the ends of the path
  var path = null;  // the path found: {nodes: [ids], steps: [[edge ids] per step]}, or null
  var pathStyled = table();  // the vis options of what the path highlights, to restore them
  function nodeButton(parent, id, className) {  // a button naming a node: selects it
    var b = add(parent, phrase("button", [{ label: nodeLabel(id) }], className || "sg-edge-link"));
    b.type = "button";
    b.setAttribute("data-node", id);
    b.addEventListener("click", function () { select(id); });
    return b;
  }
  function questionsForNode(id) {
    var box = add(body, el("div", null, "sg-actions sg-questions"));
    var input = add(box, el("input"));
    input.type = "number"; input.min = "0"; input.max = String(MAX_DEPTH); input.id = "sg-depth";
    input.value = String(state.focus && state.focusOn ? state.focusOn.depth : 3);
    input.setAttribute("aria-label", "steps around this node");
    var go = add(box, el("button", "steps around"));
    go.type = "button";
    go.className = "sg-neighbourhood-n";
    go.addEventListener("click", function () { setFocus(id, clampDepth(input.value)); });
    input.addEventListener("keydown", function (ev) { if (ev.key === "Enter") go.click(); });
    var ends = add(body, el("div", null, "sg-actions sg-path-ends"));
    [["from", "Path from here"], ["to", "Path to here"]].forEach(function (end) {
      var b = add(ends, el("button", end[1]));
      b.type = "button";
      b.className = "sg-path-" + end[0];
      b.addEventListener("click", function () { choosePathEnd(end[0], id); });
    });
    if (nodeById[id].cls === "proposal") whoHolds(id);
  }
  function clampDepth(value) {
    var n = Math.floor(Number(value));
    return isFinite(n) ? Math.min(Math.max(n, 0), MAX_DEPTH) : 1;
  }

  // the stances actors take on a proposal (statements kept by the source and date filters), by stance
  function stancesOn(proposal) {
    var by = table();
    adjacency[proposal].forEach(function (eid) {
      var e = edgeById[eid];
      if (e.to !== proposal || !e.stance || nodeById[e.from].cls !== "actor") return;
      if (e.statements.length && !e.statements.some(statementVisible)) return;
      (by[e.stance] = by[e.stance] || []);
      if (by[e.stance].indexOf(e.from) < 0) by[e.stance].push(e.from);
    });
    return by;
  }
  function stanceOrder(by) {
    var known = filters.stances.filter(function (s) { return by[s]; });
    return known.concat(Object.keys(by).filter(function (s) { return known.indexOf(s) < 0; }).sort());
  }
  function actorList(parent, actors, stance) {
    var ul = add(parent, el("ul", null, "sg-who"));
    ul.setAttribute("data-stance", stance);
    actors.slice().sort(function (a, b) { return nodeLabel(a).localeCompare(nodeLabel(b)); })
      .forEach(function (a) { nodeButton(add(ul, el("li")), a); });
  }
  function whoHolds(proposal) {  // in a proposal's panel: for each stance, the actors holding it
    var by = stancesOn(proposal), order = stanceOrder(by);
    if (!order.length) return;
    var section = add(body, el("section", null, "sg-who-holds"));
    add(section, el("h3", "Who holds which stance"));
    order.forEach(function (s) {
      add(section, el("div", s + " (" + by[s].length + ")", "sg-class"));
      actorList(section, by[s], s);
    });
  }
  function whoElseOnEdge(e) {  // in a stance's panel: who else holds this stance on this proposal
    if (!e.stance || nodeById[e.to].cls !== "proposal") return;
    var others = (stancesOn(e.to)[e.stance] || []).filter(function (a) { return a !== e.from; });
    var section = add(body, el("section", null, "sg-who-holds"));
    add(section, phrase("h3", ["Who else is " + e.stance + " on ", { label: nodeLabel(e.to) }]));
    if (others.length) actorList(section, others, e.stance);
    else add(section, el("p", "No other actor.", "sg-meta"));
  }

  // shortest path over the relations the filters keep (in either direction), the neighbourhood aside
  function keptByFilters(e) {
    var focus = state.focus;
    state.focus = null;
    try { return edgeVisible(e); } finally { state.focus = focus; }
  }
  function shortestPath(from, to) {
    if (!nodeById[from] || !nodeById[to]) return null;
    var previous = table(), queue = [from];
    previous[from] = null;
    while (queue.length && !(to in previous)) {
      var n = queue.shift();
      adjacency[n].forEach(function (eid) {
        var e = edgeById[eid], m = e.from === n ? e.to : e.from;
        if (m in previous || !keptByFilters(e) || !state.classes.has(nodeById[m].cls)) return;
        previous[m] = n;
        queue.push(m);
      });
    }
    if (!(to in previous)) return null;
    var nodes = [to];
    while (previous[nodes[0]] !== null) nodes.unshift(previous[nodes[0]]);
    var steps = [];
    for (var i = 1; i < nodes.length; i++) {
      var a = nodes[i - 1], b = nodes[i];
      steps.push(adjacency[a].filter(function (eid) {
        var e = edgeById[eid];
        return ((e.from === a && e.to === b) || (e.from === b && e.to === a)) && keptByFilters(e);
      }));
    }
    return { nodes: nodes, steps: steps };
  }
  function choosePathEnd(end, id) {
    pathEnds[end] = nodeById[id] ? id : null;
    showPathBox();
    if (pathEnds.from && pathEnds.to) findPath(); else if (current && current.node) showNode(current.node);
  }
  function showPathBox() {
    var box = $("sg-path-box"), label = $("sg-path-label");
    if (!pathEnds.from && !pathEnds.to) { box.hidden = true; label.replaceChildren(); return; }
    label.replaceChildren(phrase("span", ["Path from ", { label: pathEnds.from ? nodeLabel(pathEnds.from) : "?" },
      " to ", { label: pathEnds.to ? nodeLabel(pathEnds.to) : "?" }]));
    box.hidden = false;
  }
  function unstylePath() {
    var nodes = [], edges = [];
    Object.keys(pathStyled).forEach(function (key) {
      var saved = pathStyled[key];
      (saved.edge ? edges : nodes).push(saved.options);
    });
    if (nodes.length) visNodes.update(nodes);
    if (edges.length) visEdges.update(edges);
    pathStyled = table();
    document.body.removeAttribute("data-path");
  }
  function stylePath() {
    unstylePath();
    if (!path) return;
    var nodes = [], edges = [];
    path.nodes.forEach(function (id) {
      var n = visNodes.get(id);
      pathStyled[id] = { options: { id: id, borderWidth: n.borderWidth, shadow: n.shadow || false } };
      nodes.push({ id: id, borderWidth: 5, shadow: { enabled: true, color: "rgba(255,193,7,0.9)", size: 18, x: 0, y: 0 } });
    });
    path.steps.forEach(function (step) {
      step.forEach(function (eid) {
        var e = visEdges.get(eid);
        pathStyled["edge " + eid] = { edge: true, options: { id: eid, width: e.width, shadow: e.shadow || false } };
        edges.push({ id: eid, width: 6, shadow: { enabled: true, color: "rgba(255,193,7,0.9)", size: 12, x: 0, y: 0 } });
      });
    });
    visNodes.update(nodes);
    visEdges.update(edges);
    document.body.setAttribute("data-path", path.nodes.join(" "));
  }
  function findPath() {
    path = shortestPath(pathEnds.from, pathEnds.to);
    if (path && path.nodes.some(function (id) { return !visibleNodes.has(id); })) {  // outside the neighbourhood
      state.focus = null; $("sg-focus-box").hidden = true;
      apply();
    }
    stylePath();
    showPath();
  }
  function showPath() {
    shownInPanel = showPath;
    current = null;
    body.replaceChildren();
    add(body, el("div", "shortest path", "sg-class"));
    add(body, phrase("h2", [{ label: nodeLabel(pathEnds.from) }, " \u2192 ", { label: nodeLabel(pathEnds.to) }]));
    if (!path) {
      add(body, el("p", "No path between them through the relations the filters keep.", "sg-meta sg-no-path"));
      reveal();
      return;
    }
    add(body, el("p", (path.nodes.length - 1) + (path.nodes.length === 2 ? " step" : " steps"), "sg-meta"));
    var ol = add(body, el("ol", null, "sg-path"));
    path.nodes.forEach(function (id, i) {
      var li = add(ol, el("li"));
      nodeButton(li, id);
      if (i === path.nodes.length - 1) return;
      path.steps[i].forEach(function (eid) {
        var e = edgeById[eid];
        var b = add(li, edgeTitle("button", e, "", "sg-edge-link sg-path-step"));
        b.type = "button";
        b.addEventListener("click", function () { showEdge(eid); });
        e.statements.filter(statementVisible).forEach(function (st) { add(li, statementBlock(st)); });
      });
    });
    reveal();
  }
  function clearPath() {
    pathEnds = { from: null, to: null };
    path = null;
    unstylePath();
    showPathBox();
  }
  $("sg-path-clear").addEventListener("click", function () { clearPath(); writeState(); });

  // ------------------------------------------------------------------ shareable state (issue 13, part 7)
  // The page's state lives in its address's fragment (#hide-stance=opposes&focus=israel&depth=2...),
  // rewritten with history.replaceState after each change, read back on opening: the same file with the
  // same fragment shows the same view. Nodes are named by registry id, edges by "from relation to",
  // dates by value: a fragment from another build keeps what still means something. Anything unknown
  // (ids, values, garbage) is ignored.
  var FILTER_SETS = [["hide-class", "classes", "sg-filter-class"], ["hide-stance", "stances", "sg-filter-stance"],
                     ["hide-relation", "relations", "sg-filter-relation"], ["hide-source", "sources", "sg-filter-source"]];
  var allOf = {
    classes: filters.classes.map(function (c) { return c.key; }), stances: filters.stances.slice(),
    relations: filters.relations.map(function (r) { return r.key; }), sources: filters.sources.map(function (s) { return s.id; }),
  };
  var edgeByName = table();
  function keyOf(id) { return nodeById[id].key; }
  function edgeName(e) { return [keyOf(e.from), e.relation, keyOf(e.to)].join(" "); }
  data.edges.forEach(function (e) { edgeByName[edgeName(e)] = e.id; });
  function nodeOfKey(key) { return typeof key === "string" && nodeById["n:" + key] ? "n:" + key : null; }
  function stateToFragment() {
    var p = new URLSearchParams();
    FILTER_SETS.forEach(function (f) {
      allOf[f[1]].forEach(function (key) { if (!state[f[1]].has(key)) p.append(f[0], key); });
    });
    if (dates.length && state.fromIndex > 0) p.set("since", dates[state.fromIndex]);
    if (dates.length && state.dateIndex < dates.length - 1) p.set("until", dates[state.dateIndex]);
    if (state.changes) p.set("changes", "1");
    if (state.focus && state.focusOn) { p.set("focus", keyOf(state.focusOn.id)); p.set("depth", String(state.focusOn.depth)); }
    if (pathEnds.from) p.set("from", keyOf(pathEnds.from));
    if (pathEnds.to) p.set("to", keyOf(pathEnds.to));
    if (current && !details.hidden) {
      if (current.node) p.set("node", keyOf(current.node));
      else if (current.edge) p.set("edge", edgeName(edgeById[current.edge]));
    }
    var size = $("sg-size").value;
    if (size && size !== "fixed") p.set("size", size);
    if (data.languages.length > 1 && $("sg-lang").value && $("sg-lang").value !== data.lang) p.set("lang", $("sg-lang").value);
    modeToFragment(p);
    return p.toString();
  }
  var writtenFragment = null;
  function writeState() {
    var fragment = stateToFragment();
    writtenFragment = fragment;
    var url = location.href.split("#")[0] + (fragment ? "#" + fragment : "");
    try { history.replaceState(history.state, "", url); } catch (err) { /* an address the browser refuses: keep the view */ }
  }
  var pending = false;
  function scheduleWrite() {  // after whatever the user did has run (the change, click and input handlers)
    if (pending) return;
    pending = true;
    window.setTimeout(function () { pending = false; writeState(); }, 0);
  }
  ["change", "input", "click", "keydown"].forEach(function (ev) { document.addEventListener(ev, scheduleWrite); });
  network.on("click", scheduleWrite);

  function readFragment(fragment) {
    var p;
    try { p = new URLSearchParams(fragment.replace(/^#/, "")); } catch (err) { return; }
    var choice = function (name, allowed) { var v = p.get(name); return v !== null && allowed.indexOf(v) >= 0 ? v : null; };
    var lang = choice("lang", data.languages);
    if (lang && data.languages.length > 1) { $("sg-lang").value = lang; relabel(lang); }
    var sizes = Array.prototype.map.call($("sg-size").options, function (o) { return o.value; });
    var size = choice("size", sizes) || "fixed";
    if ($("sg-size").value !== size) { $("sg-size").value = size; sizeBy(size); }
    modeFromFragment(p);
    FILTER_SETS.forEach(function (f) {
      var hidden = p.getAll(f[0]);
      state[f[1]] = new Set(allOf[f[1]].filter(function (key) { return hidden.indexOf(key) < 0; }));
      document.querySelectorAll('#sg-filters input[data-filter="' + f[1] + '"]').forEach(function (box) { box.checked = state[f[1]].has(box.value); });
    });
    var until = p.get("until"), index = dates.length - 1;
    if (until !== null && /^\d{4}(-\d\d){0,2}$/.test(until)) {
      if (dates.indexOf(until) >= 0) index = dates.indexOf(until);  // a date of the page: that stop
      else while (index > 0 && firstDay(dates[index]) > lastDay(until)) index--;  // until=2025-11: all of November
    }
    state.dateIndex = Math.max(index, 0);
    timeline.value = String(state.dateIndex);
    var since = p.get("since"), from = 0;
    if (since !== null && /^\d{4}(-\d\d){0,2}$/.test(since)) {
      if (dates.indexOf(since) >= 0) from = Math.min(dates.indexOf(since), state.dateIndex);
      else while (from < state.dateIndex && lastDay(dates[from]) < firstDay(since)) from++;
    }
    state.fromIndex = from;
    timelineFrom.value = String(from);
    state.changes = p.get("changes") === "1" && dates.length > 1;
    $("sg-changes").checked = state.changes;
    showDate();
    state.focus = null; $("sg-focus-box").hidden = true;
    apply();
    var focusOn = nodeOfKey(p.get("focus"));
    if (focusOn) setFocus(focusOn, /^\d{1,2}$/.test(p.get("depth") || "") ? clampDepth(p.get("depth")) : 1);
    pathEnds = { from: nodeOfKey(p.get("from")), to: nodeOfKey(p.get("to")) };
    path = null;
    unstylePath();
    showPathBox();
    var node = nodeOfKey(p.get("node")), edge = p.get("edge") !== null ? edgeByName[p.get("edge")] : undefined;
    if (pathEnds.from && pathEnds.to) findPath();
    if (node) {
      if (visibleNodes.has(node)) { network.selectNodes([node]); showNode(node); }
    } else if (edge && visibleEdges.has(edge)) {
      network.selectEdges([edge]); showEdge(edge);
    } else if (state.changes && !(pathEnds.from && pathEnds.to)) {
      showChanges();  // the range's changes, as the address says
    } else if (!(pathEnds.from && pathEnds.to) && p.has("edge")) {
      details.hidden = true;
    }
  }
  function restore(fragment) {
    try { readFragment(fragment); } catch (err) { /* a fragment the page cannot use: the view as it is */ }
    writeState();  // the address now says what the page shows (unknown parts dropped)
  }
  window.addEventListener("hashchange", function () {
    if (location.hash.replace(/^#/, "") !== writtenFragment) restore(location.hash);
  });

  // ------------------------------------------------------------------ export the current view
  function fileName(ext) {
    var base = String(data.title || "stancegraph").replace(/[^\w.-]+/g, "-").replace(/^[-.]+|[-.]+$/g, "").slice(0, 60);
    return (base || "stancegraph") + "." + ext;
  }
  function download(url, name) {
    var a = el("a");
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }
  function exportPng() {  // the canvas as drawn, on white (the canvas itself is transparent)
    var canvas = network.canvas.frame.canvas, out = document.createElement("canvas");
    out.width = canvas.width; out.height = canvas.height;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(canvas, 0, 0);
    return out.toDataURL("image/png");
  }
  var SVG_NS = "http://www.w3.org/2000/svg";
  function svgEl(tag, attrs, text) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (text !== undefined && text !== null) node.textContent = String(text);  // a text node: never markup
    return node;
  }
  function colourOf(c, part) { return typeof c === "string" ? c : (c && (c[part] || c.color)) || "#616161"; }
  function inside(node, pos, x, y) {  // is (x, y) inside the drawn shape of a node at pos
    var dx = x - pos.x, dy = y - pos.y, s = node.shape || {};
    if (node.options.shape === "box") return Math.abs(dx) <= (s.width || 0) / 2 && Math.abs(dy) <= (s.height || 0) / 2;
    var r = node.options.size || 10;
    return node.options.shape === "diamond" ? Math.abs(dx) + Math.abs(dy) <= r : dx * dx + dy * dy <= r * r;
  }
  function exportSvg() {
    var rect = container.getBoundingClientRect();
    var topLeft = network.DOMtoCanvas({ x: 0, y: 0 }), bottomRight = network.DOMtoCanvas({ x: rect.width, y: rect.height });
    var svg = svgEl("svg", { xmlns: SVG_NS, width: Math.round(rect.width), height: Math.round(rect.height),
      viewBox: [topLeft.x, topLeft.y, bottomRight.x - topLeft.x, bottomRight.y - topLeft.y].map(function (v) { return v.toFixed(1); }).join(" "),
      "font-family": "DejaVu Sans, Noto Sans, Arial, sans-serif" });
    add(svg, svgEl("title", {}, data.title));
    add(svg, svgEl("rect", { x: topLeft.x, y: topLeft.y, width: bottomRight.x - topLeft.x, height: bottomRight.y - topLeft.y, fill: "#ffffff" }));
    var defs = add(svg, svgEl("defs")), markers = table(), ids = Array.from(visibleNodes);
    var positions = network.getPositions(ids), body_ = network.body;
    function marker(colour, width) {  // an arrow head of this colour, a little larger for a wider line
      var key = colour + " " + width, side = 10 + 2 * width;
      if (!markers[key]) {
        markers[key] = "arrow" + Object.keys(markers).length;
        var m = add(defs, svgEl("marker", { id: markers[key], viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: side, markerHeight: side,
          orient: "auto", markerUnits: "userSpaceOnUse" }));
        add(m, svgEl("path", { d: "M0,1 L10,5 L0,9 z", fill: colour }));
      }
      return "url(#" + markers[key] + ")";
    }
    var edgesGroup = add(svg, svgEl("g", { "class": "edges" }));
    Array.from(visibleEdges).forEach(function (eid) {
      var e = visEdges.get(eid), item = body_.edges[eid];
      var a = positions[e.from], b = positions[e.to];
      if (!a || !b || e.from === e.to) return;
      var via = item && item.options.smooth && item.options.smooth.enabled && item.edgeType.getViaNode ? item.edgeType.getViaNode() : null;
      var point = function (t) {  // on the straight line or the quadratic curve vis-network draws
        if (!via || typeof via.x !== "number") return { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
        var u = 1 - t;
        return { x: u * u * a.x + 2 * u * t * via.x + t * t * b.x, y: u * u * a.y + 2 * u * t * via.y + t * t * b.y };
      };
      var edgeOf = function (nodeId, pos, fromEnd) {  // where the line leaves the node's shape
        var lo = fromEnd ? 0.5 : 0, hi = fromEnd ? 1 : 0.5, node = body_.nodes[nodeId];
        for (var k = 0; k < 20; k++) {
          var mid = (lo + hi) / 2, q = point(mid), isIn = inside(node, pos, q.x, q.y);
          if (fromEnd === isIn) hi = mid; else lo = mid;
        }
        return fromEnd ? lo : hi;
      };
      var t0 = edgeOf(e.from, a, false), t1 = edgeOf(e.to, b, true), p0 = point(t0), p1 = point(t1), d;
      if (via && typeof via.x === "number") {  // the same curve, cut at the two shapes
        var mid = point((t0 + t1) / 2), c = { x: 2 * mid.x - (p0.x + p1.x) / 2, y: 2 * mid.y - (p0.y + p1.y) / 2 };
        d = "M" + p0.x.toFixed(1) + "," + p0.y.toFixed(1) + " Q" + c.x.toFixed(1) + "," + c.y.toFixed(1) + " " + p1.x.toFixed(1) + "," + p1.y.toFixed(1);
      } else {
        d = "M" + p0.x.toFixed(1) + "," + p0.y.toFixed(1) + " L" + p1.x.toFixed(1) + "," + p1.y.toFixed(1);
      }
      var colour = colourOf(e.color, "color"), attrs = { d: d, fill: "none", stroke: colour, "stroke-width": e.width || 1 };
      if (Array.isArray(e.dashes)) attrs["stroke-dasharray"] = e.dashes.join(" ");
      if (e.arrows) attrs["marker-end"] = marker(colour, e.width || 1);
      var line = add(edgesGroup, svgEl("path", attrs));
      line.setAttribute("data-edge", eid);
      add(line, svgEl("title", {}, nodeLabel(e.from) + " " + e.relationLabel + " " + nodeLabel(e.to)));
    });
    var nodesGroup = add(svg, svgEl("g", { "class": "nodes" }));
    ids.forEach(function (id) {
      var n = visNodes.get(id), item = body_.nodes[id], pos = positions[id];
      if (!item || !pos) return;
      var g = add(nodesGroup, svgEl("g", { "data-node": id }));
      add(g, svgEl("title", {}, whole(n)));
      var fill = colourOf(n.color, "background"), stroke = colourOf(n.color, "border"), width = n.borderWidth || 1, r = item.options.size || 10;
      var style = { fill: fill, stroke: stroke, "stroke-width": width };
      if (n.shape === "box") {
        var w = item.shape.width || 40, h = item.shape.height || 20;
        add(g, svgEl("rect", Object.assign({ x: pos.x - w / 2, y: pos.y - h / 2, width: w, height: h, rx: 5 }, style)));
      } else if (n.shape === "diamond") {
        add(g, svgEl("polygon", Object.assign({ points: [[0, -r], [r, 0], [0, r], [-r, 0]].map(function (q) { return (pos.x + q[0]).toFixed(1) + "," + (pos.y + q[1]).toFixed(1); }).join(" ") }, style)));
      } else {
        add(g, svgEl("circle", Object.assign({ cx: pos.x, cy: pos.y, r: r }, style)));
      }
      if (hiddenLabels.has(id) || !item.labelModule || !item.labelModule.lines) return;
      var lines = item.labelModule.lines, size = item.labelModule.size, font = (n.font && n.font.size) || fontSize;
      var total = lines.reduce(function (s, l) { return s + l.height; }, 0);
      var y = n.shape === "box" ? pos.y - total / 2 : size.top + (size.height - total) / 2;
      var text = add(g, svgEl("text", { "text-anchor": "middle", "font-size": font, fill: (n.font && n.font.color) || "#212121" }));
      lines.forEach(function (l) {
        y += l.height;
        var words = (l.blocks || []).map(function (blk) { return blk.text; }).join("");
        add(text, svgEl("tspan", { x: pos.x.toFixed(1), y: (y - l.height * 0.22).toFixed(1) }, words));
      });
    });
    return new XMLSerializer().serializeToString(svg);
  }
  $("sg-export-png").addEventListener("click", function () { download(exportPng(), fileName("png")); });
  $("sg-export-svg").addEventListener("click", function () {
    download("data:image/svg+xml;charset=utf-8," + encodeURIComponent(exportSvg()), fileName("svg"));
  });

  // ------------------------------------------------------------------ changes in a range, and play (issue 13, part 4)
  // What `stancegraph changes --from --to` lists, for the range of the two sliders: an actor's stance on a
  // proposal as of FROM (its latest statements on or before FROM) against its latest statements after FROM up
  // to TO: new, flipped, or not stated again; a condition whose status changed. In this mode the statements
  // before the range stay drawn (they are the "before"); changed relations are outlined in the change's colour
  // and the others fade.
  var CHANGE_COLOUR = { "new": "#2e7d32", flipped: "#e65100", dropped: "#9e9e9e", before: "#ffb74d", status: "#6a1b9a" };
  var CHANGE_WORDS = { "new": "new", flipped: "flipped", dropped: "not stated again", status: "status changed" };
  var changeStyled = table();
  function latestOf(items) {
    if (!items.length) return [];
    var last = items.reduce(function (m, x) { return firstDay(x.st.date) > m ? firstDay(x.st.date) : m; }, "");
    return items.filter(function (x) { return firstDay(x.st.date) === last; });
  }
  function valuesOf(items, key) {
    return Array.from(new Set(items.map(function (x) { return x.st[key]; }))).sort();
  }
  function changesInRange() {
    var start = lastDay(dates[state.fromIndex]), end = lastDay(dates[state.dateIndex]);
    var pairs = table(), out = [], byEdge = table();
    data.edges.forEach(function (e) {
      var from = nodeById[e.from], to = nodeById[e.to];
      var stance = e.stance && from.cls === "actor" && to.cls === "proposal";
      if (!stance && to.cls !== "condition") return;
      e.statements.forEach(function (st) {
        if (!st.date || !state.sources.has(st.source)) return;
        var what = stance ? (st.stance ? "stance" : null) : (st.status ? "status" : null);
        if (!what) return;
        var key = what === "stance" ? e.from + "\u0000" + e.to : "\u0000" + e.to;  // a status is the condition's
        var p = pairs[key] || (pairs[key] = { what: what, from: what === "stance" ? e.from : null, to: e.to, items: [] });
        p.items.push({ st: st, edge: e.id });
      });
    });
    Object.keys(pairs).sort().forEach(function (key) {
      var p = pairs[key], field = p.what;
      var before = latestOf(p.items.filter(function (x) { return firstDay(x.st.date) <= start; }));
      var after = latestOf(p.items.filter(function (x) { var d = firstDay(x.st.date); return d > start && d <= end; }));
      var was = valuesOf(before, field), now = valuesOf(after, field), kind = null;
      if (field === "status") kind = now.length && now.join() !== was.join() ? "status" : null;
      else if (!was.length && now.length) kind = "new";
      else if (was.length && now.length && now.join() !== was.join()) kind = "flipped";
      else if (was.length && !now.length) kind = "dropped";
      if (!kind) return;
      out.push({ kind: kind, from: p.from, to: p.to, before: before, after: after, was: was, now: now });
      (kind === "dropped" ? before : after).forEach(function (x) { byEdge[x.edge] = kind; });
      if (kind === "flipped" || kind === "status") before.forEach(function (x) { if (!byEdge[x.edge]) byEdge[x.edge] = "before"; });
    });
    var order = { flipped: 0, "new": 1, dropped: 2, status: 3 };
    out.sort(function (a, b) { return order[a.kind] - order[b.kind]; });
    return { list: out, byEdge: byEdge };
  }
  function unstyleChanges() {
    var saved = Object.keys(changeStyled).map(function (id) { return changeStyled[id]; });
    if (saved.length) visEdges.update(saved);
    changeStyled = table();
    document.body.removeAttribute("data-changes");
  }
  function markChanges() {
    unstyleChanges();
    if (!state.changes || dates.length < 2) return null;
    var found = changesInRange(), updates = [];
    visibleEdges.forEach(function (id) {
      var e = visEdges.get(id), kind = found.byEdge[id];
      changeStyled[id] = { id: id, color: e.color, width: e.width, shadow: e.shadow || false, dashes: e.dashes };
      if (kind) {
        updates.push({ id: id, width: 5, color: { color: CHANGE_COLOUR[kind], highlight: CHANGE_COLOUR[kind] },
                       dashes: kind === "dropped" || kind === "before" ? [6, 4] : e.dashes,
                       shadow: { enabled: true, color: CHANGE_COLOUR[kind], size: 10, x: 0, y: 0 } });
      } else {
        updates.push({ id: id, color: { color: "rgba(158,158,158,0.25)", highlight: "#616161" } });
      }
    });
    if (updates.length) visEdges.update(updates);
    document.body.setAttribute("data-changes", String(found.list.length));
    return found;
  }
  function changeQuotes(list, items, word) {
    items.forEach(function (x) {
      var li = add(list, el("li"));
      add(li, el("span", word + ", " + (x.st.stance || x.st.status) + ": ", "sg-meta"));
      add(li, el("span", "\u201c" + (x.st.quote || "") + "\u201d", "sg-quote"));
      add(li, el("div", sourceLine(x.st), "sg-meta"));
    });
  }
  function showChanges() {
    var found = markChanges();
    if (!found) return;
    shownInPanel = showChanges;
    current = null;
    body.replaceChildren();
    add(body, el("div", "changes", "sg-class"));
    add(body, el("h2", "From " + dates[state.fromIndex] + " to " + dates[state.dateIndex]));
    if (!found.list.length) add(body, el("p", "Nothing changed in this range: no stance or condition status was stated " +
                                         "for the first time, differently, or not again.", "sg-meta"));
    var list = add(body, el("ul", null, "sg-changes"));
    found.list.forEach(function (c) {
      var li = add(list, el("li", null, "sg-change sg-change-" + c.kind));
      var what = c.from ? nodeLabel(c.from) + " on " + nodeLabel(c.to) : nodeLabel(c.to);
      add(li, phrase("strong", ["[" + CHANGE_WORDS[c.kind] + "] ", { label: what }]));
      add(li, el("div", (c.was.join(" / ") || "none") + " \u2192 " + (c.now.join(" / ") || "(not stated again)"), "sg-meta"));
      var quotes = add(li, el("ul"));
      changeQuotes(quotes, c.before, "before");
      changeQuotes(quotes, c.after, "after");
    });
    reveal();
  }
  $("sg-changes").addEventListener("change", function () {
    state.changes = $("sg-changes").checked;
    showDate();
    if (state.changes && state.fromIndex <= 0 && dates.length > 1) {  // a range needs a start: the first date
      state.fromIndex = 0;
    }
    apply();
    if (state.changes) showChanges(); else if (shownInPanel === showChanges) { details.hidden = true; shownInPanel = null; }
  });
  ["input"].forEach(function (ev) {
    [timeline, timelineFrom].forEach(function (slider) {
      slider.addEventListener(ev, function () { if (state.changes) showChanges(); });
    });
  });

  // play: the range's end steps month by month from the first date's month to the last's
  var playing = null;
  function months() {
    if (dates.length < 2) return [];
    var out = [], y = Number(dates[0].slice(0, 4)), m = dates[0].length > 4 ? Number(dates[0].slice(5, 7)) : 1;
    var lastY = Number(dates[dates.length - 1].slice(0, 4)), lastM = dates[dates.length - 1].length > 4 ? Number(dates[dates.length - 1].slice(5, 7)) : 12;
    while (y < lastY || (y === lastY && m <= lastM)) {
      out.push(y + "-" + (m < 10 ? "0" : "") + m);
      m += 1; if (m > 12) { m = 1; y += 1; }
    }
    return out;
  }
  function stepTo(month) {  // the range's end at the last date up to the end of ``month``
    var index = 0;
    dates.forEach(function (d, i) { if (firstDay(d) <= lastDay(month)) index = i; });
    timeline.value = String(index);
    timeline.dispatchEvent(new Event("input"));
    $("sg-timeline-date").textContent = month + (index >= dates.length - 1 ? " (all)" : "");
  }
  function stopPlay() {
    if (playing) window.clearInterval(playing.timer);
    playing = null;
    $("sg-play").setAttribute("aria-pressed", "false");
    $("sg-play").textContent = "\u25b6 Play by month";
    showDate();  // the range's own end again, not the month it stopped at
  }
  $("sg-play").addEventListener("click", function () {
    if (playing) { stopPlay(); return; }
    var steps = months();
    if (!steps.length) return;
    playing = { steps: steps, at: 0, timer: null };
    $("sg-play").setAttribute("aria-pressed", "true");
    $("sg-play").textContent = "\u25a0 Stop";
    stepTo(steps[0]);
    playing.timer = window.setInterval(function () {
      playing.at += 1;
      if (playing.at >= playing.steps.length) { stopPlay(); return; }
      stepTo(playing.steps[playing.at]);
    }, 700);
  });

  // ------------------------------------------------------------------ the panel and the filters answer directly (issue 13, part 8)
  // A node's relations grouped by stance in the stances' colours, following the filters; a proposal's
  // blockers as `stancegraph blockers` gives them (computed in Python: data.panel.blockers); conditional
  // refusals ("declines to take part ... until C") counted as opposition on request; each stance and
  // relation listed once in the filters.
  // functions rather than variables: a page opened with --focus shows a panel before this part has run
  function panelData() { return data.panel || { relationStance: {}, stances: [], blockers: {} }; }
  function stanceKeys() { return panelData().stances.map(function (s) { return s.key; }); }
  function stanceColour(key) {
    var found = panelData().stances.filter(function (s) { return s.key === key; })[0];
    return found ? found.color : null;
  }
  function own(obj, key) { return Object.prototype.hasOwnProperty.call(obj || {}, key) ? obj[key] : undefined; }
  // a conditional refusal: a relation that is itself a refusal (its own stance "opposes") held until or if a
  // condition is met, which makes the statement's stance "conditional"
  function isConditionalRefusal(e) { return e.stance === "conditional" && own(panelData().relationStance, e.relation) === "opposes"; }
  function effectiveStance(e) { return state.refusals && isConditionalRefusal(e) ? "opposes" : e.stance; }
  function stanceShown(e) {  // edgeVisible's stance test: with refusals counted, a refusal shows with "opposes"
    var s = effectiveStance(e);
    if (s !== e.stance && filters.stances.indexOf(s) < 0) s = e.stance;  // no "opposes" box to follow
    return state.stances.has(s);
  }
  function conditionsOf(e) {  // the "until ..." and "if ..." of its statements the filters keep
    var out = [];
    e.statements.filter(statementVisible).forEach(function (st) {
      ["until", "if"].forEach(function (word) {
        (st[word] || []).forEach(function (c) {
          var text = word + " " + nodeLabel(c);
          if (out.indexOf(text) < 0) out.push(text);
        });
      });
    });
    return out;
  }
  function relationGroups(id) {  // in a node's panel: its relations shown, by stance, then the others
    var groups = table(), extra = [];
    adjacency[id].forEach(function (eid) {
      if (!(stanceEdges || visibleEdges).has(eid)) return;  // hidden by a filter, the timeline or the neighbourhood
      var e = edgeById[eid], key = e.stance ? effectiveStance(e) : "other";
      if (!groups[key]) { groups[key] = []; if (stanceKeys().indexOf(key) < 0 && key !== "other") extra.push(key); }
      groups[key].push(e);
    });
    var order = stanceKeys().concat(extra.sort(), ["other"]).filter(function (k) { return groups[k]; });
    add(body, el("h3", "Relations"));
    if (!order.length) { add(body, el("p", "No relation shown with the current filters.", "sg-meta sg-no-relations")); return; }
    order.forEach(function (key) {
      var section = add(body, el("section", null, "sg-group"));
      section.setAttribute("data-group", key);
      var colour = stanceColour(key);
      var heading = add(section, el("h4", (key === "other" ? "other relations" : key) + " (" + groups[key].length + ")", "sg-group-title"));
      if (colour) { heading.style.color = colour; section.style.borderLeftColor = colour; }
      var list = add(section, el("ul", null, "sg-relations"));
      groups[key].forEach(function (e) {
        var li = add(list, el("li"));
        li.setAttribute("data-edge", e.id);
        var said = e.statements.filter(statementVisible).length;
        var b = add(li, edgeTitle("button", e, said ? " (" + said + ")" : ""));
        b.type = "button";
        b.className = "sg-edge-link";
        b.addEventListener("click", function () { showEdge(e.id); });
        var conditions = conditionsOf(e);
        if (conditions.length) add(li, el("span", " (" + conditions.join("; ") + ")", "sg-meta sg-until"));
        if (key !== e.stance && e.stance) add(li, el("span", " \u2014 a conditional refusal", "sg-meta"));
      });
    });
  }
  function blockersSection(id) {  // in a proposal's panel: what `stancegraph blockers` says of it
    var b = own(panelData().blockers, id);
    if (!b) return;
    var section = add(body, el("section", null, "sg-blockers"));
    add(section, el("h3", "What stands in its way"));
    if (b.scope.length) add(section, el("p", "Including what holds for the broader proposals it is part of: " + b.scope.join(", ") + ". As the whole graph says (not filtered), like stancegraph blockers.", "sg-meta"));
    var named = function (parent, nodeId, label) {
      if (nodeById[nodeId]) nodeButton(parent, nodeId); else add(parent, el("bdi", label));
    };
    var part = function (title, items, listClass, none, row) {  // a heading with the count, then a row each
      add(section, el("h4", title + " (" + items.length + ")"));
      if (!items.length) { add(section, el("p", none, "sg-meta")); return; }
      var list = add(section, el("ul", null, listClass));
      items.forEach(function (item) { row(add(list, el("li")), item); });
    };
    part("Conditions", b.conditions, "sg-conditions", "None stated.", function (li, c) {
      li.setAttribute("data-condition", c.id);
      li.setAttribute("data-status", c.status);
      add(li, el("span", "[" + c.status + "] ", "sg-status sg-status-" + c.status));
      named(li, c.id, c.label);
      if (c.via) add(li, phrase("span", [" via ", { label: c.viaLabel }], "sg-meta sg-via"));
      var who = [];
      if (c.demandedBy.length) who.push("demanded by " + c.demandedBy.join(", "));
      if (c.controlledBy.length) who.push("controlled by " + c.controlledBy.join(", "));
      c.heldUntil.forEach(function (h) { who.push(h); });
      if (who.length) add(li, el("div", who.join("; "), "sg-meta"));
    });
    part("Must approve", b.approvers, "sg-approvers", "No one is said to hold an approval right.", function (li, a) {
      li.setAttribute("data-actor", a.actor);
      named(li, a.actor, a.label);
      if (a.preconditions.length) add(li, el("div", "its own preconditions: " + a.preconditions.join("; "), "sg-meta"));
      a.evidence.forEach(function (st) { add(li, el("div", "\u201c" + (st.quote || "") + "\u201d", "sg-quote")); });
    });
    part("Resists", b.resistance, "sg-resistance", "No one is said to resist it.", function (li, r) {
      li.setAttribute("data-actor", r.actor);
      li.setAttribute("data-stance", r.stance || "");
      named(li, r.actor, r.label);
      add(li, phrase("span", [" " + r.relation + " ", { label: r.proposalLabel },
        r.stance === "conditional" ? " (conditional refusal" + (r.conditions.length ? ": until or if " + r.conditions.join(", ") : "") + ")" : ""]));
      if (r.via) add(li, el("span", " \u2014 inherited: on a broader proposal this one is part of", "sg-meta sg-via"));
      if (r.quote) add(li, el("div", "\u201c" + r.quote + "\u201d", "sg-quote"));
      add(li, el("div", [r.source, r.date].filter(Boolean).join(", "), "sg-meta"));
    });
  }
  function refreshPanel() {  // after a filter change: the node's panel lists what is shown now
    if (!network || !current || !current.node || details.hidden) return;
    var side = $("sg-side"), top = side.scrollTop;
    showNode(current.node);
    side.scrollTop = top;
  }
  // the filters: each relation that carries a stance is listed once, under its stance; the others under
  // "Other relations". Every box says which set it filters (data-filter), wherever it sits.
  function mergeFilters() {
    [["sg-filter-class", "classes"], ["sg-filter-stance", "stances"], ["sg-filter-relation", "relations"], ["sg-filter-source", "sources"]]
      .forEach(function (f) {
        document.querySelectorAll("#" + f[0] + " input[type=checkbox]").forEach(function (b) { b.setAttribute("data-filter", f[1]); });
      });
    var stanceRow = table(), edgeStances = table();
    document.querySelectorAll("#sg-filter-stance > label").forEach(function (label) {
      var key = label.querySelector("input").value, sub = el("div", null, "sg-filter-sub");
      sub.setAttribute("data-stance", key);
      label.after(sub);
      stanceRow[key] = sub;
      var line = el("span", null, "sg-line");
      line.style.borderTopColor = stanceColour(key) || "#616161";
      label.insertBefore(line, label.querySelector("input").nextSibling);
    });
    data.edges.forEach(function (e) { if (e.stance && !edgeStances[e.relation]) edgeStances[e.relation] = e.stance; });
    document.querySelectorAll("#sg-filter-relation > label").forEach(function (label) {
      var input = label.querySelector("input"), key = input.value;
      var home = stanceRow[own(panelData().relationStance, key)] || stanceRow[edgeStances[key]];
      if (!home) return;
      if (label.textContent.trim() === home.getAttribute("data-stance")) add(label, el("span", " (the relation itself)", "sg-meta"));
      add(home, label);
    });
    var rest = $("sg-filter-relation");
    rest.querySelector("legend").textContent = "Other relations";
    rest.hidden = !rest.querySelector("input");
  }
  mergeFilters();
  state.refusals = false;
  var refusals = $("sg-refusals");
  $("sg-refusals-box").hidden = !data.edges.some(isConditionalRefusal);
  refusals.addEventListener("change", function () { state.refusals = refusals.checked; apply(); });

  // ------------------------------------------------------------------ discourse networks (issue 13, part 6)
  // "congruence": actors linked once per proposal on which both hold the same stance; "conflict": once per
  // proposal on which one supports and the other opposes (output/networks.py, as DNA computes them), from
  // the statements the source filter and the timeline keep. The page then draws actors and these edges only.
  var MODE_STYLE = { congruence: "#2e7d32", conflict: "#c62828" };
  var mode = "stances", discourseEdges = table();
  var stanceEdges = visibleEdges;  // the graph's relations the filters keep, also while a discourse network is drawn
  var OPPOSITE = { supports: "opposes", opposes: "supports" };
  function discourseTies(kind) {
    var held = table(), holders = table();  // held[actor][proposal][stance] = statements
    data.edges.forEach(function (e) {
      if (nodeById[e.from].cls !== "actor" || nodeById[e.to].cls !== "proposal") return;
      e.statements.forEach(function (st) {
        if (!st.stance || !statementVisible(st)) return;
        var a = held[e.from] = held[e.from] || table(), p = a[e.to] = a[e.to] || table();
        (p[st.stance] = p[st.stance] || []).push(st);
        holders[e.to] = holders[e.to] || [];
        if (holders[e.to].indexOf(e.from) < 0) holders[e.to].push(e.from);
      });
    });
    var ties = table();
    Object.keys(holders).sort().forEach(function (proposal) {
      var actors = holders[proposal].slice().sort();
      for (var i = 0; i < actors.length; i++) for (var j = i + 1; j < actors.length; j++) {
        var a = actors[i], b = actors[j], sa = held[a][proposal], sb = held[b][proposal], pairs = [];
        stanceKeys().forEach(function (s) {
          if (kind === "congruence" && sa[s] && sb[s]) pairs.push([s, s]);
          if (kind === "conflict" && OPPOSITE[s] && sa[s] && sb[OPPOSITE[s]]) pairs.push([s, OPPOSITE[s]]);
        });
        if (!pairs.length) continue;
        var key = "dn:" + a + "|" + b;
        ties[key] = ties[key] || { id: key, a: a, b: b, proposals: [] };
        ties[key].proposals.push({ proposal: proposal, stances: pairs,
          quotes: [pairs.reduce(function (l, p) { return l.concat(sa[p[0]]); }, []), pairs.reduce(function (l, p) { return l.concat(sb[p[1]]); }, [])] });
      }
    });
    return { actors: Object.keys(held), ties: ties };
  }
  function discourseMode() {  // after compute(): in a discourse mode, what is shown is the actors and their ties
    if (!discourseEdges) return;  // the first draw, before this part of the script has run: stances
    stanceEdges = visibleEdges;
    var old = Object.keys(discourseEdges);
    if (old.length) visEdges.remove(old);
    discourseEdges = table();
    if (mode === "stances") return;
    var found = discourseTies(mode), edges = [];
    Object.keys(found.ties).forEach(function (key) {
      var t = found.ties[key], w = t.proposals.length;
      discourseEdges[key] = t;
      edges.push({ id: key, from: t.a, to: t.b, arrows: "", color: MODE_STYLE[mode], dashes: false, width: 1 + 2 * w,
        label: String(w), font: { size: 14, color: MODE_STYLE[mode], strokeWidth: 3, strokeColor: "#ffffff" },
        relation: mode, relationLabel: mode + " (" + w + ")", stance: null, statements: [], weight: w });
    });
    visEdges.add(edges);
    visibleEdges = new Set(Object.keys(discourseEdges));
    visibleNodes = new Set(found.actors.filter(function (id) { return state.classes.has("actor"); }));
  }
  function setMode(value, later) {  // later: the caller applies the filters itself
    mode = MODE_STYLE[value] ? value : "stances";
    $("sg-mode").value = mode;
    document.body.setAttribute("data-mode", mode);
    $("sg-mode-note").textContent = mode === "congruence" ? "actors linked once per proposal on which they hold the same stance"
      : mode === "conflict" ? "actors linked once per proposal on which one supports and the other opposes" : "";
    if (!later) apply();
  }
  function discourseTooltip(id) {
    var t = discourseEdges[id], box = el("div", null, "sg-tooltip");
    if (!t) return box;
    add(box, phrase("strong", [{ label: nodeLabel(t.a) }, " \u2014 " + mode + " \u2014 ", { label: nodeLabel(t.b) }]));
    add(box, el("div", t.proposals.length + (t.proposals.length === 1 ? " proposal: " : " proposals: ") +
      t.proposals.map(function (p) { return nodeLabel(p.proposal); }).join("; "), "sg-meta"));
    return box;
  }
  function showDiscourseEdge(id) {  // a tie's panel: the proposals behind it and the quotes of each side
    var t = discourseEdges[id];
    if (!t) return false;
    shownInPanel = function () { showDiscourseEdge(id); };
    current = null;
    body.replaceChildren();
    add(body, el("div", mode + " \u00b7 weight " + t.proposals.length, "sg-class"));
    add(body, phrase("h2", [{ label: nodeLabel(t.a) }, " \u2014 ", { label: nodeLabel(t.b) }]));
    t.proposals.forEach(function (p) {
      var section = add(body, el("section", null, "sg-tie"));
      section.setAttribute("data-proposal", p.proposal);
      add(section, phrase("h3", [{ label: nodeLabel(p.proposal) }, " (" + p.stances.map(function (s) { return s[0] === s[1] ? s[0] : s.join(" / "); }).join(", ") + ")"]));
      [t.a, t.b].forEach(function (actor, side) {
        add(section, phrase("h4", [{ label: nodeLabel(actor) }, ": " + p.stances.map(function (s) { return s[side]; }).join(", ")]));
        p.quotes[side].forEach(function (st) { add(section, statementBlock(st)); });
      });
    });
    reveal();
    return true;
  }
  $("sg-mode").addEventListener("change", function () { setMode($("sg-mode").value); });
  function modeToFragment(p) {  // the shareable state of this part
    if (mode !== "stances") p.set("mode", mode);
    if (state.refusals) p.set("refusals", "opposes");
    if (outletOn) p.set("outlets", "1");
  }
  function modeFromFragment(p) {
    state.refusals = p.get("refusals") === "opposes";
    refusals.checked = state.refusals;
    outletOn = p.get("outlets") === "1" && outlets.length > 0;
    $("sg-outlets").checked = outletOn;
    setMode(p.get("mode"), true);
  }
  // ------------------------------------------------------------------ outlets (issue 13, part 3), on request
  // "Show outlets": each outlet linked to what its sources report (the subjects of their statements, each edge
  // with those statements' quotes) and to the outlets they cite. Off by default: the graph of who says what.
  var outlets = data.outlets || [], outletOn = false, outletAdded = false;
  outlets.forEach(function (e) { edgeById[e.id] = e; });
  function outletsShown() {  // after compute(): the outlets' relations, when asked for, among what is shown
    if (!outletOn || !discourseEdges || mode !== "stances") {
      if (outletAdded) { visEdges.remove(outlets.map(function (e) { return e.id; })); outletAdded = false; }
      return;
    }
    if (!outletAdded) { visEdges.add(outlets); outletAdded = true; }
    outlets.forEach(function (e) {
      if (!state.classes.has(nodeById[e.from].cls) || !state.classes.has(nodeById[e.to].cls)) return;
      if (state.focus && !(state.focus.has(e.from) && state.focus.has(e.to))) return;
      if (e.statements.length && !e.statements.some(statementVisible)) return;
      if (!e.statements.length && !visibleNodes.has(e.to)) return;  // "cites": between outlets shown
      visibleEdges.add(e.id); visibleNodes.add(e.from); visibleNodes.add(e.to);
    });
  }
  $("sg-outlets-box").hidden = !outlets.length;
  $("sg-outlets").addEventListener("change", function () { outletOn = $("sg-outlets").checked; apply(); });

  if (location.hash.length > 1) restore(location.hash); else writeState();

  window.stancegraph = {
    network: network, nodes: visNodes, edges: visEdges, data: data, state: state, apply: apply,
    visibleNodes: function () { return Array.from(visibleNodes); },
    visibleEdges: function () { return Array.from(visibleEdges); },
    select: select, setFocus: setFocus, relabel: relabel, sizeBy: sizeBy,
    shortestPath: shortestPath, choosePathEnd: choosePathEnd, exportPng: exportPng, exportSvg: exportSvg,
    fragment: stateToFragment, restore: restore, setMode: setMode,
    changes: function () { return state.changes ? changesInRange().list : null; }, months: months,
    discourseEdges: function () { return Object.keys(discourseEdges).map(function (k) { return [k, discourseEdges[k].proposals.length]; }); },
  };
})();
