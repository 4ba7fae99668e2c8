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
    focus: null,
  };
  var visibleNodes = new Set(), visibleEdges = new Set();
  var network = null;  // the vis.Network, once drawn

  function unfiltered() {
    return state.stances.size === filters.stances.length && state.relations.size === filters.relations.length &&
      state.sources.size === filters.sources.length && state.dateIndex >= dates.length - 1;
  }
  function statementVisible(st) {
    if (!state.sources.has(st.source)) return false;
    if (state.dateIndex >= dates.length - 1) return true;
    return Boolean(st.date) && st.date <= dates[state.dateIndex];
  }
  function edgeVisible(e) {
    if (!state.relations.has(e.relation)) return false;
    if (e.stance && !state.stances.has(e.stance)) return false;
    if (!state.classes.has(nodeById[e.from].cls) || !state.classes.has(nodeById[e.to].cls)) return false;
    if (state.focus && !(state.focus.has(e.from) && state.focus.has(e.to))) return false;
    return e.statements.length === 0 || e.statements.some(statementVisible);
  }
  function compute() {
    visibleEdges = new Set();
    var touched = new Set(), registry = [];
    // with a source or date filter, a relation no source states (the registry's "part of") is shown only
    // between nodes shown for what the kept statements say: it brings in no node a later source names
    var narrowed = state.sources.size !== filters.sources.length || state.dateIndex < dates.length - 1;
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
    nodesView.refresh();
    edgesView.refresh();
    $("sg-shown").textContent = (visibleNodes.size === data.nodes.length && visibleEdges.size === data.edges.length)
      ? "" : "showing " + visibleNodes.size + " of " + data.nodes.length + " nodes, " + visibleEdges.size + " of " + data.edges.length + " relations";
    document.body.setAttribute("data-visible-nodes", String(visibleNodes.size));
    document.body.setAttribute("data-visible-edges", String(visibleEdges.size));
    if (network) refit();
  }

  // ------------------------------------------------------------------ legible labels
  // After every fit: no two visible
  // labels overlapping: the labels of the best-connected nodes are kept, a label that would overlap a kept
  // one is hidden (transparent; the tooltip and the panel still give it).
  var BASE_FONT = (data.options.nodes && data.options.nodes.font && data.options.nodes.font.size) || 16;
  // MIN_LABEL_PX: labels at least this tall on screen up to LEGIBLE_MAX_NODES nodes. 0 (off) for now: at
  // 12 px the boxes grow until some short edges can no longer be hovered or clicked (test_browser_example)
  var MIN_LABEL_PX = 0, LEGIBLE_MAX_NODES = 150, hiddenLabels = new Set(), fontSize = BASE_FONT;
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
    var ids = network.body.nodeIndices.slice(), boxes = [], pad = fontSize * 0.3, moved = false;
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
  }
  $("sg-reset").addEventListener("click", resetFilters);

  var timeline = $("sg-timeline");
  if (dates.length < 2) {
    $("sg-timeline-box").hidden = true;
  } else {
    timeline.max = String(dates.length - 1);
    timeline.value = String(dates.length - 1);
  }
  function showDate() {
    $("sg-timeline-date").textContent = dates.length ? dates[state.dateIndex] + (state.dateIndex >= dates.length - 1 ? " (all)" : "") : "";
  }
  timeline.addEventListener("input", function () {
    state.dateIndex = Number(timeline.value);
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
    if (about.description) add(box, el("span", about.description, "sg-about-text"));
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
    var actions = add(body, el("div", null, "sg-actions"));
    [1, 2].forEach(function (depth) {
      var b = add(actions, el("button", depth === 1 ? "Show neighbourhood" : "2 steps"));
      b.type = "button";
      b.className = "sg-neighbourhood";
      b.setAttribute("data-depth", String(depth));
      b.addEventListener("click", function () { setFocus(id, depth); });
    });
    if (n.cls === "proposal") {
      var conditions = adjacency[id].map(function (eid) { return edgeById[eid]; }).filter(function (e) {
        return (e.relation === "requires" && e.from === id) || (e.relation === "condition-of" && e.to === id);
      });
      if (conditions.length) {
        add(body, el("h3", "Conditions"));
        var cl = add(body, el("ul", null, "sg-conditions"));
        var seen = table();
        conditions.forEach(function (e) {
          var c = e.relation === "requires" ? e.to : e.from;
          if (seen[c]) return;
          seen[c] = true;
          add(cl, phrase("li", [{ label: nodeLabel(c) }, nodeById[c].unmet ? " \u2014 unmet" : ""]));
        });
      }
    }
    add(body, el("h3", "Relations"));
    var list = add(body, el("ul", null, "sg-relations"));
    adjacency[id].forEach(function (eid) {
      var e = edgeById[eid];
      var li = add(list, el("li"));
      var b = add(li, edgeTitle("button", e, e.statements.length ? " (" + e.statements.length + ")" : ""));
      b.type = "button";
      b.className = "sg-edge-link";
      b.addEventListener("click", function () { showEdge(eid); });
    });
    reveal();
  }
  function reveal() {  // the panel sits below the search and filters: bring it into the side bar's view
    details.hidden = false;
    details.scrollIntoView({ block: "nearest" });
  }
  function showEdge(id) {
    var e = edgeById[id];
    shownInPanel = function () { showEdge(id); };
    body.replaceChildren();
    add(body, el("div", e.stance ? "stance: " + e.stance : "relation", "sg-class"));
    add(body, edgeTitle("h2", e));
    e.statements.forEach(function (st) { add(body, statementBlock(st)); });
    reveal();
  }
  $("sg-close").addEventListener("click", function () { details.hidden = true; });

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
  network.on("hoverEdge", function (params) { showTooltip(edgeTooltip(edgeById[params.edge]), params); });
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

  window.stancegraph = {
    network: network, nodes: visNodes, edges: visEdges, data: data, state: state, apply: apply,
    visibleNodes: function () { return Array.from(visibleNodes); },
    visibleEdges: function () { return Array.from(visibleEdges); },
    select: select, setFocus: setFocus, relabel: relabel, sizeBy: sizeBy,
  };
})();
