/* 工人日报 search page: the form, the URL (?q=工会&province=浙江&…&page=2, so a search can be
 * shared and the back button works), the results 20 to a page. The index is read by
 * search-index.js, the same way from file:// and over http(s). Every result node is built
 * with createElement/textContent; no inline script is needed. */
(function () {
  "use strict";

  var M = window.GrrbMatch;
  var PAGE_SIZE = 20;
  var CHECK_ALL = 2 * PAGE_SIZE;   // up to this many candidates are all checked at once: an exact count
  var KIND_LABELS = { article: "文章", photo: "图片", continuation: "转版", notice: "告示" };
  var FIELDS = ["q"].concat(M.FILTERS, ["sort"]);
  var engine = null;
  var runId = 0;
  var el = {};

  function $(id) { return document.getElementById(id); }

  function readParams() {
    var url = new URLSearchParams(location.search);
    var p = {};
    FIELDS.forEach(function (k) { p[k] = (url.get(k) || "").trim(); });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(p.from)) { p.from = ""; }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(p.to)) { p.to = ""; }
    p.page = Math.max(1, parseInt(url.get("page"), 10) || 1);
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
    var p = { page: 1 };
    FIELDS.forEach(function (name) { p[name] = el[name].value.trim(); });
    return p;
  }

  function toQuery(p) {
    var url = new URLSearchParams();
    FIELDS.forEach(function (k) { if (p[k]) { url.set(k, p[k]); } });
    if (p.page > 1) { url.set("page", String(p.page)); }
    var s = url.toString();
    return s ? "?" + s : location.pathname.split("/").pop() || "index.html";
  }

  function cnDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? m[1] + "年" + Number(m[2]) + "月" + Number(m[3]) + "日" : iso;
  }

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
    a.href = "../" + item.url;   // (the page is search/index.html; urls are from the site root)
    h.appendChild(a);
    li.appendChild(h);
    if (item.subtitle) { li.appendChild(node("p", "subtitle", item.subtitle)); }
    var parts = [cnDate(item.date)];
    if (item.sheet) { parts.push(item.sheet); }
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

  /* A search's results. When its words must be checked against the texts (`check`), the
   * hits are checked in order as far as the pages shown need: `matched` holds the items of
   * those that hold every word; `checked` counts the hits checked. */
  function Results(found, p) {
    this.hits = found.hits;
    this.check = found.check;
    this.p = p;
    this.checked = 0;
    this.matched = [];
  }

  Results.prototype.exact = function () { return !this.check || this.checked === this.hits.length; };

  // How many hits are known to match.
  Results.prototype.known = function () { return this.check ? this.matched.length : this.hits.length; };

  Results.prototype.more = function (page) { return this.known() > page * PAGE_SIZE || !this.exact(); };

  // Check hits in order until `want` match or none is left.
  Results.prototype.fill = function (want) {
    var self = this;
    if (!this.check || this.matched.length >= want || this.exact()) { return Promise.resolve(); }
    var batch = this.hits.slice(this.checked, this.checked + Math.max(PAGE_SIZE, want - this.matched.length));
    return Promise.all(batch.map(function (hit) { return engine.item(hit, self.p, true); })).then(function (items) {
      self.checked += items.length;
      items.forEach(function (it) { if (it) { self.matched.push(it); } });
      return self.fill(want);
    });
  };

  // The items of a page (1, 2, …).
  Results.prototype.page = function (page) {
    var self = this;
    var from = (page - 1) * PAGE_SIZE;
    var want = this.check && this.hits.length <= CHECK_ALL ? this.hits.length : from + PAGE_SIZE + 1;
    // (One check at a time: a page asked for while another is being checked waits for it.)
    var checked = (this.queue || Promise.resolve()).catch(function () {}).then(function () { return self.fill(want); });
    this.queue = checked;
    return checked.then(function () {
      if (self.check) { return self.matched.slice(from, from + PAGE_SIZE); }
      return Promise.all(self.hits.slice(from, from + PAGE_SIZE).map(function (h) { return engine.item(h, self.p, false); }));
    });
  };

  function status(results, p) {
    var what = p.q ? "“" + p.q + "”" : "所选条件";
    var n = results.known();
    if (!results.exact()) {
      return "找到至少 " + n + " 篇与" + what + "相关的稿件（另有 " + (results.hits.length - results.checked) +
        " 篇候选稿件，翻页时逐篇核对）。";
    }
    return n ? "找到 " + n + " 篇与" + what + "相关的稿件。" : "没有找到与" + what + "相关的稿件。";
  }

  function pager(results, p) {
    el.pager.textContent = "";
    var more = results.more(p.page);
    el.pager.hidden = p.page === 1 && !more;
    if (el.pager.hidden) { return; }
    function button(label, page, cls) {
      var b = node("button", cls, label);
      b.type = "button";
      b.addEventListener("click", function () { go(Object.assign({}, p, { page: page }), true); });
      el.pager.appendChild(b);
    }
    if (p.page > 1) { button("上一页", p.page - 1, "search-prev"); }
    var pages = results.exact() ? "，共 " + Math.max(1, Math.ceil(results.known() / PAGE_SIZE)) + " 页" : "";
    el.pager.appendChild(node("span", "search-page-number", "第 " + p.page + " 页" + pages));
    if (more) { button("下一页", p.page + 1, "search-next"); }
  }

  var current = null;   // {key, results}: the last search, kept while only the page changes

  function run(p) {
    var id = ++runId;
    el.results.textContent = "";
    el.pager.hidden = true;
    function done(text) {
      if (id !== runId) { return; }
      el.status.textContent = text;
      document.body.setAttribute("data-search-state", "done");
    }
    if (!p.q && !M.hasFilters(p)) { return Promise.resolve(done("请输入检索词，或选择地区、时间、类型、栏目浏览。")); }
    if (p.from && p.to && p.from > p.to) { return Promise.resolve(done("起始日期晚于截止日期，请重新选择。")); }
    el.status.textContent = "正在检索……";
    document.body.setAttribute("data-search-state", "busy");
    var key = JSON.stringify(FIELDS.map(function (k) { return p[k]; }));
    var found = current && current.key === key ? Promise.resolve(current.results) : engine.search(p).then(function (f) {
      var results = f.tooShort ? null : new Results(f, p);
      current = { key: key, results: results };
      return results;
    });
    return found.then(function (results) {
      if (id !== runId) { return; }
      if (!results) { return done("检索词至少要有两个连续的字：单字只用来缩小其他检索词的结果。"); }
      return results.page(p.page).then(function (items) {
        if (id !== runId) { return; }
        items.forEach(function (it) { el.results.appendChild(renderItem(it)); });
        pager(results, p);
        done(status(results, p));
      });
    }).catch(function (err) {
      done("检索出错：" + (err && err.message ? err.message : err));
    });
  }

  function go(p, push) {
    var url = toQuery(p);
    if (push) { history.pushState(null, "", url); } else { history.replaceState(null, "", url); }
    if (p.page > 1) { window.scrollTo(0, 0); }
    return run(p);
  }

  function init() {
    FIELDS.forEach(function (name) { el[name] = $("search-" + name); });
    el.form = $("search-form"); el.mode = $("search-mode"); el.status = $("search-status");
    el.results = $("search-results"); el.pager = $("search-pager");
    if (!el.form) { return; }
    engine = new window.GrrbIndex.Engine(document.body.getAttribute("data-root") || "../");
    el.mode.textContent = "逐字全文检索，覆盖全部 " + document.body.getAttribute("data-total") + " 篇稿件（" +
      cnDate(document.body.getAttribute("data-first")) + "至" + cnDate(document.body.getAttribute("data-last")) +
      "）；从本地文件打开与在线访问结果相同。";
    el.form.addEventListener("submit", function (e) { e.preventDefault(); go(formParams(), true); });
    FIELDS.forEach(function (name) {
      if (name !== "q") { el[name].addEventListener("change", function () { go(formParams(), true); }); }
    });
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
