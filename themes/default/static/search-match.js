/* 工人日报 search: what a query means, shared by the online search (search-online.js) and the
 * offline one over search/fallback-index.js. A classic script (it must load from file://).
 *
 * A query is terms separated by spaces; an article matches when it contains every term as a
 * run of characters (substring), the way Chinese readers expect: 段简 finds 阶段简单. */
(function () {
  "use strict";

  // Keep in step with CJK_RUN in site_builder/search_grams.py.
  var CJK_RUN = /[\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]{2,}/gu;
  var CJK_ONLY = /^[\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]+$/u;
  var FILTERS = ["province", "year", "month", "kind", "column", "from", "to"];

  function terms(q) {
    var seen = {};
    return (q || "").replace(/["“”「」『』]/g, " ").toLowerCase().split(/\s+/).filter(function (t) {
      if (!t || seen[t]) { return false; }
      seen[t] = true;
      return true;
    });
  }

  function cjkRuns(term) { return term.match(CJK_RUN) || []; }

  // Every pair of consecutive CJK characters of a term (its runs of two or more).
  function bigrams(term) {
    var out = [];
    cjkRuns(term).forEach(function (run) {
      var chars = Array.from(run);
      for (var i = 0; i + 1 < chars.length; i++) { out.push(chars[i] + chars[i + 1]); }
    });
    return out;
  }

  // A two-character CJK term is answered exactly by the bigram index; any other term that
  // has a CJK run gets candidates from it that must be checked against the text.
  function exactByBigrams(term) { return Array.from(term).length === 2 && CJK_ONLY.test(term); }

  function hasFilters(p) { return FILTERS.some(function (k) { return !!p[k]; }); }

  function dateOk(iso, p) {
    if (p.year && iso.slice(0, 4) !== p.year) { return false; }
    if (p.month && iso.slice(5, 7) !== p.month) { return false; }
    if (p.from && iso < p.from) { return false; }
    if (p.to && iso > p.to) { return false; }
    return true;
  }

  function recordOk(rec, p) {
    return (!p.province || rec.province === p.province) && (!p.kind || rec.kind === p.kind) &&
      (!p.column || rec.column === p.column) && dateOk(rec.date, p);
  }

  // The first and last month ("YYYY-MM") of an index unit: "2022", "2022-q3" or "2022-11"
  // (site_builder/search_units.py names them).
  function unitMonths(unit) {
    var m = /^(\d{4})(?:-q([1-4])|-(\d\d))?$/.exec(unit);
    if (!m) { return null; }
    var first = m[2] ? 3 * Number(m[2]) - 2 : m[3] ? Number(m[3]) : 1;
    var last = m[2] ? first + 2 : m[3] ? first : 12;
    function pad(n) { return (n < 10 ? "0" : "") + n; }
    return [m[1] + "-" + pad(first), m[1] + "-" + pad(last)];
  }

  // The units a search has to look at (in the given order): a year, month or date range
  // skips the others.
  function unitsInScope(units, p) {
    return units.filter(function (u) {
      var span = unitMonths(u);
      if (!span) { return false; }
      return (!p.year || u.slice(0, 4) === p.year) &&
        (!p.month || (span[0].slice(5) <= p.month && p.month <= span[1].slice(5))) &&
        (!p.from || span[1] >= p.from.slice(0, 7)) && (!p.to || span[0] <= p.to.slice(0, 7));
    });
  }

  function count(hay, term) {
    var n = 0;
    for (var i = hay.indexOf(term); i !== -1; i = hay.indexOf(term, i + term.length)) { n++; }
    return n;
  }

  function containsAll(text, ts) {
    var lower = text.toLowerCase();
    return ts.every(function (t) { return lower.indexOf(t) !== -1; });
  }

  // About 90 characters around the first match at or after `from` (else the first anywhere),
  // as pieces {text, mark}.
  function excerpt(text, ts, from) {
    var lower = text.toLowerCase();
    var first = -1;
    [from || 0, 0].some(function (start) {
      ts.forEach(function (t) {
        var i = lower.indexOf(t, start);
        if (i !== -1 && (first === -1 || i < first)) { first = i; }
      });
      return first !== -1;
    });
    if (first === -1) { first = from || 0; }
    var start = Math.max(0, first - 30);
    var end = Math.min(text.length, start + 90);
    var pieces = [];
    var pos = start;
    while (ts.length && pos < end) {
      var next = -1;
      var len = 0;
      ts.forEach(function (t) {
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
    return pieces.map(function (piece) { return { text: piece.text.replace(/\s+/g, " "), mark: piece.mark }; });
  }

  /* ---------- the offline index (search/fallback-index.js) ---------- */

  function fallbackRows(index) {
    if (!index.rows) {
      index.rows = index.articles.map(function (a) {
        var row = {};
        index.fields.forEach(function (name, i) { row[name] = a[i]; });
        row.head = [row.kicker, row.title, row.subtitle].join("\n");
        row.lower = (row.head + "\n" + row.text).toLowerCase();
        return row;
      });
    }
    return index.rows;
  }

  // Dates the offline index covers: [oldest, newest] (rows are newest first).
  function fallbackSpan(index) {
    var rows = index.articles;
    var date = index.fields.indexOf("date");
    return rows.length ? [rows[rows.length - 1][date], rows[0][date]] : ["", ""];
  }

  function fallbackSearch(index, p) {
    var ts = terms(p.q);
    var hits = [];
    fallbackRows(index).forEach(function (row) {
      if (!recordOk(row, p)) { return; }
      var score = 0;
      for (var i = 0; i < ts.length; i++) {
        var n = count(row.lower, ts[i]);
        if (!n) { return; }
        score += n + 10 * count(row.head.toLowerCase(), ts[i]);
      }
      hits.push({ row: row, score: score });
    });
    var byDate = p.sort === "newest" || p.sort === "oldest" || !ts.length;
    hits.sort(function (a, b) {
      var c = a.row.date < b.row.date ? -1 : a.row.date > b.row.date ? 1 : 0;
      if (byDate && c) { return p.sort === "oldest" ? c : -c; }
      return b.score - a.score || -c;
    });
    return hits.map(function (h) {
      var r = h.row;
      return {
        url: r.url, title: r.title, kicker: r.kicker, subtitle: r.subtitle, date: r.date,
        province: r.province, kind: r.kind, column: r.column, excerpt: excerpt(r.text, ts, 0)
      };
    });
  }

  window.GrrbMatch = {
    FILTERS: FILTERS, terms: terms, bigrams: bigrams, cjkRuns: cjkRuns, exactByBigrams: exactByBigrams,
    hasFilters: hasFilters, dateOk: dateOk, recordOk: recordOk, unitMonths: unitMonths, unitsInScope: unitsInScope,
    containsAll: containsAll, excerpt: excerpt, fallbackSearch: fallbackSearch, fallbackSpan: fallbackSpan
  };
})();
