/* corpus-qa report: renders the embedded report data.
 * Every string from the dump is untrusted: it only ever reaches the page through
 * textContent / createTextNode, never innerHTML, and links from the dump are shown
 * as text, never as href. The only hrefs are "#..." deep links built here. */
(function () {
  "use strict";
  // Marks let bench/bench_report.py see where the time goes on a large report.
  performance.mark("cqa-start");
  var DATA = JSON.parse(document.getElementById("report-data").textContent);
  performance.mark("cqa-parsed");
  var SVG = "http://www.w3.org/2000/svg";
  var UNKNOWN = "(unknown)";
  var state = { check: "", severity: "", outlet: "", q: "", record: "" };
  var checks = DATA.checks;
  var base = DATA.baseline || null;

  // A value with where it came from ("Ana Ruiz (jsonld)"): byline and date provenance.
  function sourced(value, source) {
    return value === null || value === undefined || !source ? value : value + " (" + source + ")";
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "cls") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }
  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    return node;
  }
  function pct(r) { return r === null || r === undefined ? "-" : (r * 100).toFixed(1) + "%"; }
  // One formatter: toLocaleString builds a new one per call, which dominates large tables.
  var NUMBER = new Intl.NumberFormat("en-US");
  function num(n) { return NUMBER.format(Number(n)); }
  // Times in the reader's own zone, readable; the exact ISO 8601 value in the tooltip.
  var WHEN = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  function when(iso) {
    var d = new Date(iso), node = el("time", { datetime: String(iso), title: String(iso) });
    node.textContent = isNaN(d.getTime()) ? String(iso) : WHEN.format(d);
    return node;
  }
  function localTimes() {
    document.querySelectorAll("time[datetime]").forEach(function (t) {
      var d = new Date(t.getAttribute("datetime"));
      if (!isNaN(d.getTime())) t.textContent = WHEN.format(d);
    });
  }
  function outletOf(s) { return s.outlet === null || s.outlet === undefined ? UNKNOWN : String(s.outlet); }
  function link(params, label) {
    // Fragment-only links: the dump's own URLs are never made clickable.
    var a = el("a", { text: label });
    a.setAttribute("href", "#" + new URLSearchParams(params).toString());
    return a;
  }
  function limit(c) {
    var p = [];
    if (c.max_rate !== null) p.push(pct(c.max_rate));
    if (c.max_count !== null) p.push("n\u2264" + c.max_count);
    return p.join(" ") || "-";
  }
  // Offsets in findings count Unicode code points (Python); JS strings count UTF-16
  // units, so slice through code point arrays to keep highlights on the right text.
  function cps(text) { return Array.from(String(text)); }

  /* ---------- summary ---------- */
  function renderSummary() {
    var c = DATA.counts, box = document.getElementById("cards");
    [["articles", c.articles], ["images", c.images], ["records read", c.records_read],
     ["quarantined", c.records_quarantined], ["findings", c.findings], ["outlets", Object.keys(DATA.outlets).length]]
      .forEach(function (p) { box.appendChild(el("div", { cls: "card" }, [el("b", { text: num(p[1]) }), p[0]])); });
    if (DATA.outlets_total) {
      box.parentNode.insertBefore(el("p", { cls: "msg", text: num(Object.keys(DATA.outlets).length) + " of " + num(DATA.outlets_total) +
        " outlets shown (the largest and the most affected); report.json has them all." }), box.nextSibling);
    }
    if (base && base.warnings.length) {
      var w = el("div", { cls: "warnings" }, [el("b", { text: "Baseline warnings" })]);
      var ul = el("ul");
      base.warnings.forEach(function (t) { ul.appendChild(el("li", { text: t })); });
      w.appendChild(ul);
      box.parentNode.insertBefore(w, box.nextSibling);
    }
  }

  /* ---------- per-check table ---------- */
  function sparkline(values) {
    var pts = values.map(function (v, i) { return [i, v]; }).filter(function (p) { return p[1] !== null; });
    var w = 80, h = 20, s = svg("svg", { width: w, height: h, viewBox: "0 0 " + w + " " + h, role: "img" });
    if (pts.length < 2) return s;
    var max = Math.max.apply(null, pts.map(function (p) { return p[1]; })) || 1;
    var step = w / Math.max(1, values.length - 1);
    var d = pts.map(function (p) { return (p[0] * step).toFixed(1) + "," + (h - 2 - (p[1] / max) * (h - 4)).toFixed(1); });
    s.appendChild(svg("polyline", { points: d.join(" "), fill: "none", stroke: "#2e90fa", "stroke-width": 1.5 }));
    var last = d[d.length - 1].split(",");
    s.appendChild(svg("circle", { cx: last[0], cy: last[1], r: 2, fill: "#b42318" }));
    return s;
  }
  function renderCheckTable() {
    var t = document.getElementById("check-table");
    var head = ["check", "severity", "findings", "records", "rate", "threshold", "status", "vs baseline"];
    var hasTrend = base && base.history.length > 1;
    if (hasTrend) head.push("trend");
    var tr = el("tr");
    head.forEach(function (h, i) { tr.appendChild(el("th", { text: h, cls: i >= 2 && i <= 5 ? "num" : "" })); });
    t.appendChild(el("thead", null, [tr]));
    var body = el("tbody");
    checks.forEach(function (c) {
      var row = el("tr", { cls: "clickable", "data-check": c.id, title: c.reason || c.name });
      row.appendChild(el("td", null, [el("code", { text: c.id }), el("div", { cls: "msg", text: c.name })]));
      row.appendChild(el("td", { text: c.severity }));
      row.appendChild(el("td", { cls: "num", text: num(c.count) }));
      row.appendChild(el("td", { cls: "num", text: num(c.records) }));
      row.appendChild(el("td", { cls: "num", text: pct(c.rate) }));
      row.appendChild(el("td", { cls: "num", text: limit(c) }));
      row.appendChild(el("td", { cls: "status s-" + c.status, text: c.status }));
      var cmp = base && base.checks[c.id], cell = el("td", { cls: "num" });
      if (cmp && cmp.change_pp !== null) {
        cell.textContent = (cmp.change_pp >= 0 ? "+" : "") + cmp.change_pp.toFixed(1) + " pp";
        cell.className = "num " + (cmp.change_pp > 0.05 ? "up" : cmp.change_pp < -0.05 ? "down" : "");
        cell.title = pct(cmp.then) + " \u2192 " + pct(cmp.now);
      } else cell.textContent = "-";
      row.appendChild(cell);
      if (hasTrend) row.appendChild(el("td", null, [sparkline(cmp ? cmp.history : [])]));
      row.addEventListener("click", function () { setState({ check: state.check === c.id ? "" : c.id, record: "" }, "evidence"); });
      body.appendChild(row);
    });
    t.appendChild(body);
  }

  /* ---------- outlet x check heat map ---------- */
  function renderOutletTable() {
    var cols = checks.filter(function (c) { return c.enabled && Object.keys(c.by_outlet).length; });
    var t = document.getElementById("outlet-table");
    if (!cols.length) { t.appendChild(el("caption", { cls: "empty", text: "no per-outlet rates" })); return; }
    var breaks = {};
    if (base) base.template_breaks.forEach(function (b) { breaks[b.check + "\u0000" + b.outlet] = b; });
    // Sort outlets by how far their worst rate sits above the dump's: a broken outlet rises to the top.
    var outlets = Object.keys(DATA.outlets).map(function (o) {
      var excess = 0;
      cols.forEach(function (c) { var r = c.by_outlet[o]; if (r) excess = Math.max(excess, r.rate - c.rate); });
      return { name: o, excess: excess };
    }).sort(function (a, b) { return b.excess - a.excess || DATA.outlets[b.name] - DATA.outlets[a.name]; });
    var tr = el("tr", null, [el("th", { text: "outlet" }), el("th", { cls: "num", text: "articles" })]);
    // A break after each dot lets long check ids wrap instead of widening the table.
    cols.forEach(function (c) { tr.appendChild(el("th", { cls: "num rot", text: c.id.replace(/\./g, ".\u200b") })); });
    t.appendChild(el("thead", null, [tr]));
    var body = el("tbody");
    outlets.forEach(function (o) {
      var row = el("tr", { "data-outlet": o.name }, [el("td", { text: o.name }), el("td", { cls: "num", text: num(DATA.outlets[o.name]) })]);
      cols.forEach(function (c) {
        var r = c.by_outlet[o.name], cell = el("td", { cls: "cell" });
        if (!r) { cell.textContent = "-"; row.appendChild(cell); return; }
        cell.textContent = pct(r.rate);
        var alpha = Math.sqrt(r.rate);
        cell.style.backgroundColor = "rgba(217, 45, 32, " + alpha.toFixed(3) + ")";
        if (alpha > 0.55) cell.style.color = "#fff";
        var tip = o.name + " \u00b7 " + c.id + ": " + num(r.records) + " of " + num(r.articles) + " (" + pct(r.rate) + "); dump " + pct(c.rate);
        var then = base && base.outlets[c.id] && base.outlets[c.id][o.name];
        if (then && then.then !== null) tip += "; baseline " + pct(then.then);
        var br = breaks[c.id + "\u0000" + o.name];
        if (br) { cell.className += " break"; tip += "; " + br.reason; }
        cell.title = tip;
        cell.setAttribute("data-check", c.id);
        row.appendChild(cell);
      });
      body.appendChild(row);
    });
    t.appendChild(body);
    // One listener for the whole table: 200 outlets x 12 checks would be 2,400.
    body.addEventListener("click", function (ev) {
      var cell = ev.target.closest("td[data-check]");
      if (!cell) return;
      setState({ check: cell.getAttribute("data-check"), outlet: cell.parentNode.getAttribute("data-outlet"), record: "" }, "evidence");
    });
  }

  /* ---------- changes against the baseline ---------- */
  function renderBaseline() {
    var box = document.getElementById("baseline");
    if (!base) { box.classList.add("hidden"); return; }
    box.appendChild(el("h2", { text: "Against the baseline" }));
    box.appendChild(el("p", { cls: "msg" }, ["Baseline " + base.path + " (finished ",
      base.finished_at ? when(base.finished_at) : "at an unknown time", "), " +
      base.history.length + " report" + (base.history.length === 1 ? "" : "s") + " in the history."]));
    if (base.template_breaks.length) {
      var ul = el("ul", { id: "template-breaks" });
      base.template_breaks.forEach(function (b) { ul.appendChild(el("li", { cls: "s-fail", text: b.reason })); });
      box.appendChild(ul);
    }
    // The largest per-outlet moves, either way: where a scraper changed.
    var moves = [];
    for (var id in base.outlets) for (var o in base.outlets[id]) {
      var r = base.outlets[id][o];
      if (r.then !== null && r.now !== r.then) moves.push({ check: id, outlet: o, row: r, d: r.now - r.then });
    }
    moves.sort(function (a, b) { return Math.abs(b.d) - Math.abs(a.d); });
    if (!moves.length) { box.appendChild(el("p", { cls: "empty", text: "no outlet's rate changed" })); return; }
    var t = el("table", { id: "baseline-table" });
    var tr = el("tr");
    ["outlet", "check", "then", "now", "change", "articles then", "articles now"].forEach(function (h, i) {
      tr.appendChild(el("th", { cls: i >= 2 ? "num" : "", text: h }));
    });
    t.appendChild(el("thead", null, [tr]));
    var body = el("tbody");
    moves.slice(0, 50).forEach(function (m) {
      body.appendChild(el("tr", { "data-outlet": m.outlet, "data-check": m.check }, [
        el("td", { text: m.outlet }), el("td", null, [el("code", { text: m.check })]),
        el("td", { cls: "num", text: pct(m.row.then) }), el("td", { cls: "num", text: pct(m.row.now) }),
        el("td", { cls: "num " + (m.d > 0 ? "up" : "down"), text: (m.d > 0 ? "+" : "") + (m.d * 100).toFixed(1) + " pp" }),
        el("td", { cls: "num", text: num(m.row.articles_then) }), el("td", { cls: "num", text: num(m.row.articles_now) }),
      ]));
    });
    t.appendChild(body);
    box.appendChild(el("div", { cls: "scroll" }, [t]));
  }

  /* ---------- charts ---------- */
  function barChart(target, title, pairs, color) {
    var box = el("div", { cls: "chart" }, [el("h3", { text: title })]);
    var w = 360, rowH = 16, h = Math.max(40, pairs.length * rowH + 10), left = 130;
    var s = svg("svg", { viewBox: "0 0 " + w + " " + h, role: "img", "aria-label": title });
    var max = Math.max.apply(null, pairs.map(function (p) { return p[1]; }).concat([1]));
    pairs.forEach(function (p, i) {
      var y = 4 + i * rowH, bw = (w - left - 50) * p[1] / max;
      var label = svg("text", { x: left - 4, y: y + 11, "text-anchor": "end" }); label.textContent = p[0];
      var value = svg("text", { x: left + bw + 4, y: y + 11 }); value.textContent = num(p[1]);
      s.appendChild(label);
      s.appendChild(svg("rect", { x: left, y: y + 2, width: Math.max(bw, 0.5), height: rowH - 4, fill: typeof color === "function" ? color(p) : color }));
      s.appendChild(value);
    });
    box.appendChild(s);
    target.appendChild(box);
  }
  function renderCharts() {
    var target = document.getElementById("chart-box");
    var statusColor = { fail: "#d92d20", warn: "#f79009", notice: "#98a2b3", pass: "#12b76a", skipped: "#d0d5dd" };
    barChart(target, "Findings per check", checks.map(function (c) { return [c.id, c.count, c.status]; }),
      function (p) { return statusColor[p[2]] || "#98a2b3"; });
    function hist(obj, fmt) {
      return Object.keys(obj).map(Number).sort(function (a, b) { return a - b; }).map(function (k) { return [fmt(k), obj[String(k)]]; });
    }
    var d = DATA.distributions || {};
    barChart(target, "Body length (characters, bucket start)", hist(d.body_length || {}, function (k) { return num(k); }), "#2e90fa");
    barChart(target, "Images per article", hist(d.images_per_article || {}, function (k) { return String(k); }), "#7a5af8");
  }

  /* ---------- evidence ---------- */
  function highlight(before, evidence, after) {
    var ctx = el("div", { cls: "ctx" });
    if (before) ctx.appendChild(document.createTextNode((before.length >= 80 ? "\u2026" : "") + before));
    ctx.appendChild(el("mark", { text: evidence }));
    if (after) ctx.appendChild(document.createTextNode(after + (after.length >= 80 ? "\u2026" : "")));
    return ctx;
  }
  function sampleMatches(s, c) {
    if (state.outlet && outletOf(s) !== state.outlet) return false;
    if (state.severity && s.severity !== state.severity) return false;
    if (!state.q) return true;
    var rec = DATA.records[s.record_id] || {};
    var hay = [s.evidence, s.message, s.record_id, s.source_path, s.context_before, s.context_after, s.field, rec.title, c.id]
      .map(function (x) { return x === null || x === undefined ? "" : String(x); }).join("\n").toLowerCase();
    return hay.indexOf(state.q.toLowerCase()) >= 0;
  }
  function sampleNode(s) {
    var where = el("div", { cls: "where" }, [
      el("span", { cls: "mono", text: s.source_path + (s.line !== null && s.line !== undefined ? ":" + s.line : "") }), " \u00b7 ",
      s.record_id !== null && DATA.records[s.record_id] ? link(params({ record: s.record_id }), String(s.record_id)) : el("span", { text: String(s.record_id) }),
      " \u00b7 ", el("span", { cls: "pill", text: outletOf(s) }),
      s.field ? " \u00b7 " : "", s.field ? el("code", { text: s.field }) : "",
    ]);
    var node = el("div", { cls: "sample", "data-check": s.check, "data-outlet": outletOf(s) }, [where]);
    if (s.evidence !== null && s.evidence !== undefined) node.appendChild(highlight(s.context_before || "", String(s.evidence), s.context_after || ""));
    node.appendChild(el("div", { cls: "msg", text: s.message }));
    return node;
  }
  function renderEvidence() {
    var box = document.getElementById("evidence-list");
    box.textContent = "";
    var shown = 0;
    checks.forEach(function (c) {
      if (state.check && c.id !== state.check) return;
      if (state.severity && c.severity !== state.severity) return;
      var samples = c.samples.filter(function (s) { return sampleMatches(s, c); });
      if (!samples.length && (state.outlet || state.q || !c.count)) return;
      var sec = el("section", { cls: "check-evidence", "data-check": c.id, id: "ev-" + c.id }, [
        el("h3", null, [el("code", { text: c.id }), " \u2014 " + c.name + " ",
          el("span", { cls: "status s-" + c.status, text: c.status })]),
        el("div", { cls: "msg", text: num(c.count) + " findings in " + num(c.records) + " records (" + pct(c.rate) + ")" +
          (c.samples.length < c.count ? "; showing the first " + c.samples.length + " samples, all findings are in findings.jsonl" : "") +
          (c.reason ? " \u2014 " + c.reason : "") }),
      ]);
      samples.forEach(function (s) { sec.appendChild(sampleNode(s)); shown++; });
      if (!samples.length) sec.appendChild(el("div", { cls: "empty", text: "no samples kept for this check" }));
      box.appendChild(sec);
    });
    document.getElementById("evidence-count").textContent = shown + " samples shown";
    if (!box.firstChild) box.appendChild(el("div", { cls: "empty", text: "no evidence matches the filters" }));
    Array.prototype.forEach.call(document.querySelectorAll("#check-table tbody tr"), function (r) {
      r.classList.toggle("selected", r.getAttribute("data-check") === state.check);
    });
  }

  /* ---------- record view ---------- */
  function marked(text, spans) {
    // spans: [start, end] in code points; overlapping spans are merged into the first.
    var chars = cps(text), out = el("span"), cur = 0;
    spans.slice().sort(function (a, b) { return a[0] - b[0]; }).forEach(function (sp) {
      var a = Math.max(sp[0], cur), b = Math.min(sp[1], chars.length);
      if (b <= a) return;
      out.appendChild(document.createTextNode(chars.slice(cur, a).join("")));
      out.appendChild(el("mark", { text: chars.slice(a, b).join("") }));
      cur = b;
    });
    out.appendChild(document.createTextNode(chars.slice(cur).join("")));
    return out;
  }
  function renderRecord() {
    var box = document.getElementById("record");
    box.textContent = "";
    if (!state.record) { box.classList.add("hidden"); return; }
    box.classList.remove("hidden");
    var rec = DATA.records[state.record];
    var close = el("button", { text: "close record" });
    close.addEventListener("click", function () { setState({ record: "" }); });
    box.appendChild(el("h2", null, ["Record ", el("code", { text: state.record }), " ", close]));
    if (!rec) { box.appendChild(el("p", { cls: "empty", text: "this record has no sampled findings in the report" })); return; }
    var findings = [];
    checks.forEach(function (c) { c.samples.forEach(function (s) { if (s.record_id === state.record) findings.push(s); }); });
    var spans = { body: [], title: [] };
    findings.forEach(function (s) { if (spans[s.field] && s.start !== null && s.end !== null) spans[s.field].push([s.start, s.end]); });
    box.appendChild(el("h3", { cls: "ctx" }, [marked(rec.title || "(no title)", spans.title)]));
    var meta = el("dl", { cls: "meta" });
    var lines = rec.line_start === null ? "" : ":" + rec.line_start + (rec.line_end !== null && rec.line_end !== rec.line_start ? "-" + rec.line_end : "");
    [["file", rec.source_path + lines],
     ["outlet", rec.outlet], ["url (not a link)", rec.url], ["byline", sourced(rec.byline, rec.byline_source)], ["credit", rec.credit],
     ["genre", rec.genre], ["published", sourced(rec.published_raw, rec.published_source)], ["role", rec.role]]
    .concat(rec.byline_evidence ? [["byline evidence", sourced(rec.byline_evidence, rec.byline_evidence_source)]] : []).forEach(function (p) {
      meta.appendChild(el("dt", { text: p[0] }));
      meta.appendChild(el("dd", { cls: "mono", text: p[1] === null || p[1] === undefined ? "-" : String(p[1]) }));
    });
    box.appendChild(meta);
    var list = el("ul");
    findings.forEach(function (s) {
      list.appendChild(el("li", null, [el("code", { text: s.check }), " ", el("span", { cls: "status s-" + (s.severity === "error" ? "fail" : "warn"), text: s.severity }),
        " " + (s.field || "") + ": ", el("span", { text: s.message }),
        s.evidence ? el("span", { text: " \u2014 \u201c" + s.evidence + "\u201d" }) : ""]));
    });
    box.appendChild(el("h3", { text: findings.length + " sampled findings" }));
    box.appendChild(list);
    if (rec.images && rec.images.length) {
      var imgs = el("ul");
      // An image's findings name it by field ("images[2].alt"): mark the flagged parts.
      var flagged = {};
      findings.forEach(function (s) { if (s.field) flagged[s.field] = true; });
      rec.images.forEach(function (im) {
        function part(name, value) {
          var key = "images[" + im.position + "]." + name;
          var hit = flagged[key] || (name === "src" && flagged["images[" + im.position + "].resolved_src"]);
          return el(hit ? "mark" : "span", { text: value === null || value === undefined ? "-" : String(value) });
        }
        imgs.appendChild(el("li", { cls: "mono", "data-position": String(im.position) },
          ["#" + im.position + " alt: ", part("alt", im.alt), " src: ", part("src", im.src)]));
      });
      box.appendChild(el("h3", { text: "Images (sources shown as text, never loaded)" +
        (rec.images_total ? "; " + num(rec.images.length) + " of " + num(rec.images_total) + " shown, report.json has the rest" : "") }));
      box.appendChild(imgs);
    }
    box.appendChild(el("h3", { text: "Body" + (rec.body_truncated ? " (cut in the report; the dump has the rest)" : "") }));
    box.appendChild(el("div", { cls: "body" }, [marked(rec.body || "", spans.body)]));
  }

  /* ---------- filters and deep links ---------- */
  function fillSelect(id, values, label) {
    var sel = document.getElementById(id);
    sel.appendChild(el("option", { value: "", text: label }));
    values.forEach(function (v) { sel.appendChild(el("option", { value: v, text: v })); });
    sel.addEventListener("change", function () { var p = {}; p[id.replace("f-", "")] = sel.value; setState(p); });
  }
  function syncControls() {
    document.getElementById("f-check").value = state.check;
    document.getElementById("f-severity").value = state.severity;
    document.getElementById("f-outlet").value = state.outlet;
    var q = document.getElementById("f-q");
    if (q.value !== state.q) q.value = state.q;
  }
  function params(patch) {
    var p = {};
    ["check", "record", "outlet", "severity", "q"].forEach(function (k) { if (state[k]) p[k] = state[k]; });
    for (var k in patch) p[k] = patch[k];
    return p;
  }
  function toHash() {
    var h = new URLSearchParams(params({})).toString();
    return h ? "#" + h : "";
  }
  function fromHash() {
    var p = new URLSearchParams(location.hash.replace(/^#/, ""));
    ["check", "record", "outlet", "severity", "q"].forEach(function (k) { state[k] = p.get(k) || ""; });
  }
  function render(scrollTo) {
    syncControls();
    renderEvidence();
    renderRecord();
    var target = scrollTo || (state.record ? "record" : null);
    if (target) document.getElementById(target).scrollIntoView();
  }
  function setState(patch, scrollTo) {
    for (var k in patch) state[k] = patch[k];
    var h = toHash();
    // replaceState keeps the page from jumping and works from file://.
    history.replaceState(null, "", h || location.pathname + location.search);
    render(scrollTo || (patch.record ? "record" : null));
  }

  localTimes();
  renderSummary();
  renderCheckTable();
  renderOutletTable();
  renderBaseline();
  performance.mark("cqa-tables");
  renderCharts();
  fillSelect("f-check", checks.map(function (c) { return c.id; }), "all checks");
  fillSelect("f-severity", ["error", "warning", "info"], "all severities");
  fillSelect("f-outlet", Object.keys(DATA.outlets).sort(), "all outlets");
  var timer = null;
  document.getElementById("f-q").addEventListener("input", function (ev) {
    clearTimeout(timer);
    var v = ev.target.value;
    timer = setTimeout(function () { setState({ q: v }); }, 150);
  });
  document.getElementById("f-clear").addEventListener("click", function () {
    setState({ check: "", severity: "", outlet: "", q: "", record: "" });
  });
  window.addEventListener("hashchange", function () { fromHash(); render(); });
  fromHash();
  render();
  performance.mark("cqa-rendered");
  document.body.setAttribute("data-rendered", "1");
})();
