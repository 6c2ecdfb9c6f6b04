/* 工人日报 search page: the form, the URL (?q=工会&province=浙江&…, so a search can be shared
 * and the back button works) and the results. Online (http/https) it searches with
 * search-online.js; from file://, or when the online index cannot be loaded, with the
 * offline index search/fallback-index.js, saying so. Every result node is built with
 * createElement/textContent; no inline script is needed. */
(function () {
  "use strict";

  var M = window.GrrbMatch;
  var PAGE_SIZE = 20;
  var KIND_LABELS = { article: "文章", photo: "图片", continuation: "转版", notice: "告示" };
  var FIELDS = ["q"].concat(M.FILTERS, ["sort"]);
  var online = location.protocol === "http:" || location.protocol === "https:";
  var engine = null;
  var fallbackPromise = null;
  var onlineFailed = null;   // the error, once the online index failed to load
  var runId = 0;
  var pending = [];          // result loaders not yet shown: functions returning Promise<item|null>
  var el = {};

  function $(id) { return document.getElementById(id); }

  function readParams() {
    var url = new URLSearchParams(location.search);
    var p = {};
    FIELDS.forEach(function (k) { p[k] = (url.get(k) || "").trim(); });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(p.from)) { p.from = ""; }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(p.to)) { p.to = ""; }
    return p;
  }

  function fillForm(p) {
    FIELDS.forEach(function (name) {
      var input = el[name];
      input.value = p[name];
      if (input.value !== p[name]) { input.value = ""; }   // a value the select does not offer
    });
  }

  function formParams() {
    var p = {};
    FIELDS.forEach(function (name) { p[name] = el[name].value.trim(); });
    return p;
  }

  function toQuery(p) {
    var url = new URLSearchParams();
    FIELDS.forEach(function (k) { if (p[k]) { url.set(k, p[k]); } });
    var s = url.toString();
    return s ? "?" + s : location.pathname.split("/").pop() || "index.html";
  }

  /* ---------- the offline index ---------- */

  function loadFallback() {
    if (!fallbackPromise) {
      fallbackPromise = new Promise(function (resolve, reject) {
        if (window.GRRB_SEARCH) { resolve(window.GRRB_SEARCH); return; }
        var s = document.createElement("script");
        s.src = document.body.getAttribute("data-fallback-src");
        s.onload = function () {
          if (window.GRRB_SEARCH) { resolve(window.GRRB_SEARCH); } else { reject(new Error("离线索引为空")); }
        };
        s.onerror = function () { reject(new Error("离线索引无法载入")); };
        document.head.appendChild(s);
      });
    }
    return fallbackPromise;
  }

  function cnDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? m[1] + "年" + Number(m[2]) + "月" + Number(m[3]) + "日" : iso;
  }

  // What the offline index covers, plainly.
  function fallbackCoverage(index) {
    var span = M.fallbackSpan(index);
    var covered = index.articles.length;
    var text = "逐字匹配，本地索引收录 " + covered + " 篇稿件（" + cnDate(span[0]) + "至" + cnDate(span[1]) + "）";
    if (index.total > covered) {
      text += "；全站共 " + index.total + " 篇，离线索引只含最近的 " + covered + " 篇，" +
        cnDate(span[0]) + "以前的稿件请通过网站在线检索";
    }
    return text + "。";
  }

  function fallbackResults(p) {
    return loadFallback().then(function (index) {
      var items = M.fallbackSearch(index, p);
      var span = M.fallbackSpan(index);
      var before = index.total > index.articles.length && (p.to && p.to < span[0] || p.year && p.year < span[0].slice(0, 4));
      return {
        count: items.length, exact: true, note: before ? "所选时间早于离线索引的范围（自" + cnDate(span[0]) + "起）。" : "",
        loaders: items.map(function (it) { return function () { return Promise.resolve(it); }; })
      };
    });
  }

  /* ---------- rendering ---------- */

  function node(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) { n.className = cls; }
    if (text) { n.textContent = text; }
    return n;
  }

  function renderItem(item) {
    var li = node("li", "item search-result");
    li.setAttribute("data-date", item.date);
    li.setAttribute("data-province", item.province);
    li.setAttribute("data-kind", item.kind);
    li.setAttribute("data-column", item.column || "");
    if (item.column) { li.appendChild(node("p", "column-label", item.column)); }
    if (item.kicker) { li.appendChild(node("p", "kicker", item.kicker)); }
    var h = node("h2", "item-title");
    var a = node("a", "", item.title);
    a.href = item.url;
    h.appendChild(a);
    li.appendChild(h);
    if (item.subtitle) { li.appendChild(node("p", "subtitle", item.subtitle)); }
    var parts = [cnDate(item.date)];
    if (item.province) { parts.push(item.province); }
    if (item.kind && item.kind !== "article") { parts.push(KIND_LABELS[item.kind] || item.kind); }
    li.appendChild(node("p", "item-date", parts.join(" · ")));
    if (item.excerpt && item.excerpt.length) {
      var p = node("p", "excerpt");
      item.excerpt.forEach(function (piece) {
        p.appendChild(piece.mark ? node("mark", "", piece.text) : document.createTextNode(piece.text));
      });
      li.appendChild(p);
    }
    return li;
  }

  // Show the next PAGE_SIZE results (loaders that give null are pages that did not match).
  function showMore(id) {
    el.more.hidden = true;
    var shown = 0;
    function step() {
      if (id !== runId || shown >= PAGE_SIZE || !pending.length) { return Promise.resolve(); }
      var batch = pending.splice(0, PAGE_SIZE - shown);
      return Promise.all(batch.map(function (load) { return load(); })).then(function (items) {
        if (id !== runId) { return; }
        items.forEach(function (it) { if (it) { el.results.appendChild(renderItem(it)); shown++; } });
        return step();
      });
    }
    return step().then(function () {
      if (id === runId) { el.more.hidden = pending.length === 0; }
    });
  }

  function setMode(text) { el.mode.textContent = text; }

  function notice(text) {
    el.notice.textContent = text;
    el.notice.hidden = !text;
  }

  function onlineResults(p) {
    if (!engine) {
      var units = (document.body.getAttribute("data-units") || "").split(" ").filter(Boolean);
      var base = new URL(document.body.getAttribute("data-pagefind-src"), location.href).href;
      engine = new window.GrrbOnline.Engine(base, units);
    }
    return engine.search(p);
  }

  function search(p) {
    if (!online) { return fallbackResults(p); }
    if (onlineFailed) { return fallbackResults(p); }
    return onlineResults(p).catch(function (err) {
      // The online index is missing or broken: search offline rather than not at all.
      onlineFailed = err;
      return loadFallback().then(function (index) {
        notice("在线检索索引无法载入（" + (err && err.message ? err.message : err) + "），已改用离线索引。");
        setMode("离线索引：" + fallbackCoverage(index));
        return fallbackResults(p);
      });
    });
  }

  function run(p) {
    var id = ++runId;
    pending = [];
    el.results.textContent = "";
    el.more.hidden = true;
    if (!p.q && !M.hasFilters(p)) {
      el.status.textContent = "请输入检索词，或选择地区、时间、类型、栏目浏览。";
      document.body.setAttribute("data-search-state", "done");
      return Promise.resolve();
    }
    if (p.from && p.to && p.from > p.to) {
      el.status.textContent = "起始日期晚于截止日期，请重新选择。";
      document.body.setAttribute("data-search-state", "done");
      return Promise.resolve();
    }
    el.status.textContent = "正在检索……";
    document.body.setAttribute("data-search-state", "busy");
    return search(p).then(function (found) {
      if (id !== runId) { return; }
      pending = found.loaders;
      var what = p.q ? "“" + p.q + "”" : "所选条件";
      var n = found.count;
      var text = n ? "找到 " + (found.exact ? "" : "至多 ") + n + " 篇与" + what + "相关的稿件。"
        : "没有找到与" + what + "相关的稿件。";
      el.status.textContent = text + (found.note || "");
      return showMore(id);
    }).catch(function (err) {
      if (id !== runId) { return; }
      el.status.textContent = "检索出错：" + (err && err.message ? err.message : err);
    }).then(function () {
      if (id === runId) { document.body.setAttribute("data-search-state", "done"); }
    });
  }

  function submit(push) {
    var p = formParams();
    var url = toQuery(p);
    if (push) { history.pushState(null, "", url); } else { history.replaceState(null, "", url); }
    return run(p);
  }

  function init() {
    FIELDS.forEach(function (name) { el[name] = $("search-" + name); });
    el.form = $("search-form"); el.mode = $("search-mode"); el.status = $("search-status");
    el.notice = $("search-notice"); el.results = $("search-results"); el.more = $("search-more");
    if (!el.form) { return; }
    if (online) {
      setMode("在线全文检索（Pagefind 分词检索，另加逐字匹配），覆盖全部 " +
        document.body.getAttribute("data-total") + " 篇稿件。");
    } else {
      setMode("离线模式：正在载入本地索引……");
      loadFallback().then(function (index) { setMode("离线模式（从本地文件打开）：" + fallbackCoverage(index)); },
        function (err) { setMode("离线索引无法载入：" + err.message); });
    }
    el.form.addEventListener("submit", function (e) { e.preventDefault(); submit(true); });
    FIELDS.forEach(function (name) {
      if (name !== "q") { el[name].addEventListener("change", function () { submit(true); }); }
    });
    el.more.addEventListener("click", function () { showMore(runId); });
    window.addEventListener("popstate", function () { var p = readParams(); fillForm(p); run(p); });
    var p = readParams();
    fillForm(p);
    run(p);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
