"use strict";
(function () {
  // Every string from a source reaches the page through textContent: never innerHTML.
  var data = JSON.parse(document.getElementById("sg-data").textContent);

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }
  function add(parent, child) { parent.appendChild(child); return child; }

  var CLASS_NAMES = { actor: "Actor", proposal: "Proposal", condition: "Condition" };
  var nodeById = {};
  data.nodes.forEach(function (n) { nodeById[n.id] = n; });
  function nodeLabel(id) { return nodeById[id] ? nodeById[id].label : id; }

  function sourceLine(st) {
    var s = st.source || {};
    var parts = [];
    if (s.title) parts.push(s.title);
    if (s.publisher) parts.push(s.publisher);
    if (st.date) parts.push(st.date);
    return parts.join(" \u2014 ");
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
    return bits.join("; ");
  }
  function statementBlock(st) {
    var box = el("div", null, "sg-statement");
    add(box, el("p", "\u201c" + (st.quote || "") + "\u201d", "sg-quote"));
    add(box, el("div", sourceLine(st), "sg-meta"));
    var meta = statementMeta(st);
    if (meta) add(box, el("div", meta, "sg-meta"));
    if (st.note) add(box, el("div", st.note, "sg-meta"));
    return box;
  }

  function nodeTooltip(n) {
    var box = el("div", null, "sg-tooltip");
    add(box, el("strong", n.label));
    add(box, el("div", CLASS_NAMES[n.cls] + (n.kind ? " \u00b7 " + n.kind : ""), "sg-class"));
    if (n.aliases && n.aliases.length) add(box, el("div", "also: " + n.aliases.join(", "), "sg-meta"));
    if (n.description) add(box, el("div", n.description, "sg-meta"));
    if (n.unmet) add(box, el("div", "stated as unmet", "sg-meta"));
    return box;
  }
  function edgeTooltip(e) {
    var box = el("div", null, "sg-tooltip");
    add(box, el("strong", nodeLabel(e.from) + " " + e.relationLabel + " " + nodeLabel(e.to)));
    if (e.stance) add(box, el("div", "stance: " + e.stance, "sg-class"));
    e.statements.slice(0, 3).forEach(function (st) {
      add(box, el("div", "\u201c" + (st.quote || "") + "\u201d", "sg-quote"));
      add(box, el("div", sourceLine(st), "sg-meta"));
    });
    if (e.statements.length > 3) add(box, el("div", "\u2026 and " + (e.statements.length - 3) + " more: click the edge", "sg-meta"));
    return box;
  }

  var visNodes = new vis.DataSet(data.nodes.map(function (n) {
    var copy = Object.assign({}, n); copy.title = nodeTooltip(n); return copy;
  }));
  var visEdges = new vis.DataSet(data.edges.map(function (e) {
    var copy = Object.assign({}, e); copy.title = edgeTooltip(e); return copy;
  }));
  var edgeById = {};
  data.edges.forEach(function (e) { edgeById[e.id] = e; });

  document.getElementById("sg-counts").textContent =
    data.counts.actor + " actors \u00b7 " + data.counts.proposal + " proposals \u00b7 " +
    data.counts.condition + " conditions \u00b7 " + data.edges.length + " relations";

  // legend
  var legendNodes = document.getElementById("sg-legend-nodes");
  var legendEdges = document.getElementById("sg-legend-edges");
  data.legend.forEach(function (item) {
    var li = el("li");
    if (item.group === "node") {
      var sw = el("span", null, "sg-swatch " + item.shape);
      if (item.shape === "unmet") sw.style.borderColor = item.color; else sw.style.background = item.color;
      add(li, sw);
      add(legendNodes, li);
    } else {
      var line = el("span", null, "sg-line" + (item.dashes ? " dashed" : ""));
      line.style.borderTopColor = item.color;
      add(li, line);
      add(legendEdges, li);
    }
    add(li, el("span", item.label));
  });

  // details panel
  var details = document.getElementById("sg-details");
  var body = document.getElementById("sg-details-body");
  function showNode(id) {
    var n = nodeById[id];
    body.replaceChildren();
    add(body, el("div", CLASS_NAMES[n.cls] + (n.kind ? " \u00b7 " + n.kind : ""), "sg-class"));
    add(body, el("h2", n.label));
    if (n.aliases.length) add(body, el("p", "Also: " + n.aliases.join(", "), "sg-meta"));
    if (n.description) add(body, el("p", n.description));
    if (n.wikidata) add(body, el("p", "Wikidata: " + n.wikidata, "sg-meta"));
    var list = add(body, el("ul"));
    data.edges.forEach(function (e) {
      if (e.from !== id && e.to !== id) return;
      add(list, el("li", nodeLabel(e.from) + " " + e.relationLabel + " " + nodeLabel(e.to) +
        (e.statements.length ? " (" + e.statements.length + ")" : "")));
    });
    details.hidden = false;
  }
  function showEdge(id) {
    var e = edgeById[id];
    body.replaceChildren();
    add(body, el("div", e.stance ? "stance: " + e.stance : "relation", "sg-class"));
    add(body, el("h2", nodeLabel(e.from) + " " + e.relationLabel + " " + nodeLabel(e.to)));
    e.statements.forEach(function (st) { add(body, statementBlock(st)); });
    details.hidden = false;
  }
  document.getElementById("sg-close").addEventListener("click", function () { details.hidden = true; });

  var container = document.getElementById("sg-network");
  var network = new vis.Network(container, { nodes: visNodes, edges: visEdges }, data.options);
  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
  });
  network.once("afterDrawing", function () { document.body.setAttribute("data-drawn", "true"); });
  window.stancegraph = { network: network, nodes: visNodes, edges: visEdges, data: data };
})();
