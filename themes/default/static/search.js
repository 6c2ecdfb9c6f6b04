/* 工人日报 search page: Pagefind over http(s), a substring matcher over
 * search/fallback-index.js from file:// (or when Pagefind finds nothing for a CJK query).
 * Every result node is built with createElement/textContent; no inline script is needed. */
(function () {
  "use strict";

  var PAGE_SIZE = 20;
  var KIND_LABELS = { article: "文章", photo: "图片", continuation: "转版", notice: "告示" };
  var CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
  var online = location.protocol === "http:" || location.protocol === "https:";
  var pagefindPromise = null;
  var fallbackPromise = null;
  var runId = 0;
  var scriptSrc = document.currentScript ? document.currentScript.src : "";
  var pending = [];   // result loaders not yet shown: functions returning Promise<item>
  var el = {};

  function $(id) { return document.getElementById(id); }

  function readParams() {
    var p = new URLSearchParams(location.search);
    return {
      q: (p.get("q") || "").trim(),
      province: p.get("province") || "",
      year: p.get("year") || "",
      kind: p.get("kind") || "",
      sort: p.get("sort") || ""
    };
  }

  function fillForm(params) {
    el.q.value = params.q;
    ["province", "year", "kind", "sort"].forEach(function (name) {
      var select = el[name];
      select.value = params[name];
      if (select.value !== params[name]) { select.value = ""; }
    });
  }

  function formParams() {
    return {
      q: el.q.value.trim(), province: el.province.value, year: el.year.value,
      kind: el.kind.value, sort: el.sort.value
    };
  }

  function toQuery(params) {
    var p = new URLSearchParams();
    Object.keys(params).forEach(function (k) { if (params[k]) { p.set(k, params[k]); } });
    var s = p.toString();
    return s ? "?" + s : location.pathname.split("/").pop() || "index.html";
  }

  /* ---------- Pagefind (http) ---------- */

  function loadPagefind() {
    if (!pagefindPromise) {
      // Relative to this script (static/search.js): the site's pagefind/ folder.
      var url = new URL("../pagefind/pagefind.js", scriptSrc).href;
      pagefindPromise = import(url).then(function (pf) {
        return pf.options({ excerptLength: 40 }).then(function () { return pf; });
      });
    }
    return pagefindPromise;
  }

  function pagefindSearch(params) {
    return loadPagefind().then(function (pf) {
      var filters = {};
      if (params.province) { filters.province = params.province; }
      if (params.year) { filters.year = params.year; }
      if (params.kind) { filters.kind = params.kind; }
      var opts = { filters: filters };
      if (params.sort === "newest") { opts.sort = { date: "desc" }; }
      if (params.sort === "oldest") { opts.sort = { date: "asc" }; }
      return pf.search(params.q || null, opts).then(function (res) {
        return res.results.map(function (r) {
          return function () { return r.data().then(fromPagefind); };
        });
      });
    });
  }

  function fromPagefind(d) {
    var filters = d.filters || {};
    var meta = d.meta || {};
    return {
      url: "../" + d.url.replace(/^\//, ""),
      title: meta.title || d.url,
      kicker: meta.kicker || "",
      date: meta.date || "",
      province: (filters.province || [])[0] || "",
      kind: (filters.kind || [])[0] || "",
      excerpt: markedPieces(d.excerpt || "")
    };
  }

  // Pagefind's excerpt is escaped HTML with <mark>; keep only the marks, as pieces.
  function markedPieces(html) {
    var pieces = [];
    var marked = false;
    html.split(/(<\/?mark>)/).forEach(function (part) {
      if (part === "<mark>") { marked = true; return; }
      if (part === "</mark>") { marked = false; return; }
      var text = decodeEntities(part.replace(/<[^>]*>/g, ""));
      if (text) { pieces.push({ text: text, mark: marked }); }
    });
    return pieces;
  }

  function decodeEntities(s) {
    return s.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos|nbsp);/gi, function (m, e) {
      var low = e.toLowerCase();
      if (low[0] === "#") {
        var code = low[1] === "x" ? parseInt(low.slice(2), 16) : parseInt(low.slice(1), 10);
        return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : "";
      }
      return { amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'", nbsp: "\u00a0" }[low];
    });
  }

  /* ---------- fallback: substring search over fallback-index.js ---------- */

  function loadFallback() {
    if (!fallbackPromise) {
      fallbackPromise = new Promise(function (resolve, reject) {
        if (window.GRRB_SEARCH) { resolve(window.GRRB_SEARCH); return; }
        var s = document.createElement("script");
        s.src = document.body.getAttribute("data-fallback-src");
        s.onload = function () {
          if (window.GRRB_SEARCH) { resolve(window.GRRB_SEARCH); } else { reject(new Error("empty index")); }
        };
        s.onerror = function () { reject(new Error("cannot load the offline index")); };
        document.head.appendChild(s);
      });
    }
    return fallbackPromise;
  }

  function fallbackRows(index) {
    if (!index.rows) {
      var f = index.fields;
      index.rows = index.articles.map(function (a) {
        var row = {};
        f.forEach(function (name, i) { row[name] = a[i]; });
        row.head = [row.kicker, row.title, row.subtitle].join("\n");
        row.lower = (row.head + "\n" + row.text).toLowerCase();
        return row;
      });
    }
    return index.rows;
  }

  function count(hay, term) {
    var n = 0;
    for (var i = hay.indexOf(term); i !== -1; i = hay.indexOf(term, i + term.length)) { n++; }
    return n;
  }

  function fallbackSearch(index, params) {
    var terms = params.q.toLowerCase().split(/\s+/).filter(Boolean);
    var hits = [];
    fallbackRows(index).forEach(function (row) {
      if (params.province && row.province !== params.province) { return; }
      if (params.year && row.date.slice(0, 4) !== params.year) { return; }
      if (params.kind && row.kind !== params.kind) { return; }
      var score = 0;
      for (var i = 0; i < terms.length; i++) {
        var n = count(row.lower, terms[i]);
        if (!n) { return; }
        score += n + 10 * count(row.head.toLowerCase(), terms[i]);
      }
      hits.push({ row: row, score: score });
    });
    hits.sort(function (a, b) {
      if (params.sort === "newest" || params.sort === "oldest") {
        var c = a.row.date < b.row.date ? -1 : a.row.date > b.row.date ? 1 : 0;
        if (c) { return params.sort === "newest" ? -c : c; }
      }
      return b.score - a.score || (a.row.date < b.row.date ? 1 : -1);
    });
    return hits.map(function (h) {
      var item = {
        url: h.row.url, title: h.row.title, kicker: h.row.kicker, date: h.row.date,
        province: h.row.province, kind: h.row.kind, excerpt: excerpt(h.row.text, terms),
        substring: true
      };
      return function () { return Promise.resolve(item); };
    });
  }

  function excerpt(text, terms) {
    var lower = text.toLowerCase();
    var first = -1;
    terms.forEach(function (t) {
      var i = lower.indexOf(t);
      if (i !== -1 && (first === -1 || i < first)) { first = i; }
    });
    var start = Math.max(0, first - 30);
    var end = Math.min(text.length, start + 90);
    var pieces = [];
    var pos = start;
    while (terms.length && pos < end) {
      var next = -1; var len = 0;
      terms.forEach(function (t) {
        var i = lower.indexOf(t, pos);
        if (i !== -1 && i < end && (next === -1 || i < next)) { next = i; len = t.length; }
      });
      if (next === -1) { break; }
      if (next > pos) { pieces.push({ text: text.slice(pos, next), mark: false }); }
      pieces.push({ text: text.slice(next, next + len), mark: true });
      pos = next + len;
    }
    if (pos < end) { pieces.push({ text: text.slice(pos, end), mark: false }); }
    if (start > 0) { pieces.unshift({ text: "…", mark: false }); }
    if (end < text.length) { pieces.push({ text: "…", mark: false }); }
    return pieces.map(function (p) { return { text: p.text.replace(/\n/g, " "), mark: p.mark }; });
  }

  /* ---------- rendering ---------- */

  function node(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) { n.className = cls; }
    if (text) { n.textContent = text; }
    return n;
  }

  function cnDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    return m ? m[1] + "年" + Number(m[2]) + "月" + Number(m[3]) + "日" : iso;
  }

  function renderItem(item) {
    var li = node("li", "item search-result");
    li.setAttribute("data-date", item.date);
    li.setAttribute("data-province", item.province);
    if (item.substring) { li.setAttribute("data-match", "substring"); }
    if (item.kicker) { li.appendChild(node("p", "kicker", item.kicker)); }
    var h = node("h2", "item-title");
    var a = node("a", "", item.title);
    a.href = item.url;
    h.appendChild(a);
    li.appendChild(h);
    var meta = node("p", "item-date");
    var parts = [cnDate(item.date)];
    if (item.province) { parts.push(item.province); }
    if (item.kind && item.kind !== "article") { parts.push(KIND_LABELS[item.kind] || item.kind); }
    meta.textContent = parts.filter(Boolean).join(" · ");
    li.appendChild(meta);
    if (item.excerpt && item.excerpt.length) {
      var p = node("p", "excerpt");
      item.excerpt.forEach(function (piece) {
        p.appendChild(piece.mark ? node("mark", "", piece.text) : document.createTextNode(piece.text));
      });
      li.appendChild(p);
    }
    return li;
  }

  function showMore(id) {
    var batch = pending.splice(0, PAGE_SIZE);
    el.more.hidden = true;
    return Promise.all(batch.map(function (load) { return load(); })).then(function (items) {
      if (id !== runId) { return; }
      items.forEach(function (item) { el.results.appendChild(renderItem(item)); });
      el.more.hidden = pending.length === 0;
    });
  }

  function setMode(text) { el.mode.textContent = text; }

  function fallbackModeText(index, prefix) {
    var covered = index.articles.length;
    var text = prefix + "逐字匹配，本地索引收录 " + covered + " 篇稿件";
    if (index.total > covered) {
      text += "（全站共 " + index.total + " 篇，离线索引只含最近的 " + covered + " 篇；完整检索请通过网站访问）";
    }
    return text + "。";
  }

  function run(params) {
    var id = ++runId;
    pending = [];
    el.results.textContent = "";
    el.more.hidden = true;
    var filtered = params.province || params.year || params.kind;
    if (!params.q && !filtered) {
      el.status.textContent = "请输入检索词，或选择地区、年份、类型浏览。";
      document.body.setAttribute("data-search-state", "done");
      return Promise.resolve();
    }
    el.status.textContent = "正在检索……";
    var search;
    if (online) {
      search = pagefindSearch(params).then(function (loaders) {
        if (loaders.length || !CJK.test(params.q)) { return { loaders: loaders, extra: false }; }
        // Pagefind's segmentation misses some character runs: match substrings too.
        return loadFallback().then(function (index) {
          return { loaders: fallbackSearch(index, params), extra: true, index: index };
        });
      });
    } else {
      search = loadFallback().then(function (index) {
        return { loaders: fallbackSearch(index, params), extra: false, index: index };
      });
    }
    document.body.setAttribute("data-search-state", "busy");
    return search.then(function (found) {
      if (id !== runId) { return; }
      if (found.extra) { setMode(fallbackModeText(found.index, "在线全文检索（Pagefind）无结果，已改用")); }
      pending = found.loaders;
      var n = pending.length;
      var what = params.q ? "“" + params.q + "”" : "所选条件";
      el.status.textContent = n ? "找到 " + n + " 篇与" + what + "相关的稿件。" : "没有找到与" + what + "相关的稿件。";
      return showMore(id);
    }).catch(function (err) {
      if (id !== runId) { return; }
      el.status.textContent = "检索出错：" + (err && err.message ? err.message : err);
    }).then(function () {
      if (id === runId) { document.body.setAttribute("data-search-state", "done"); }
    });
  }

  function submit(push) {
    var params = formParams();
    var url = toQuery(params);
    if (push) { history.pushState(null, "", url); } else { history.replaceState(null, "", url); }
    return run(params);
  }

  function init() {
    ["q", "province", "year", "kind", "sort"].forEach(function (name) { el[name] = $("search-" + name); });
    el.form = $("search-form"); el.mode = $("search-mode"); el.status = $("search-status");
    el.results = $("search-results"); el.more = $("search-more");
    if (!el.form) { return; }
    if (online) {
      setMode("在线全文检索（Pagefind），覆盖全部 " + document.body.getAttribute("data-total") + " 篇稿件。");
    } else {
      setMode("离线模式：正在载入本地索引……");
      loadFallback().then(function (index) { setMode(fallbackModeText(index, "离线模式（从本地文件打开）：")); },
        function (err) { setMode("离线索引无法载入：" + err.message); });
    }
    el.form.addEventListener("submit", function (e) { e.preventDefault(); submit(true); });
    ["province", "year", "kind", "sort"].forEach(function (name) {
      el[name].addEventListener("change", function () { submit(true); });
    });
    el.more.addEventListener("click", function () { showMore(runId); });
    window.addEventListener("popstate", function () { var p = readParams(); fillForm(p); run(p); });
    var params = readParams();
    fillForm(params);
    run(params);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
