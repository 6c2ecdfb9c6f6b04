/* 工人日报 search: what a query means. The same definitions as site_builder/search/text.py
 * (fold, word characters, pairs, words) and query.py (filters, order); a test runs both.
 *
 * A query is words separated by spaces; a doc matches when its headline or body contains
 * every word as a run of characters (段简 finds 阶段简单). The index lists each pair of
 * consecutive word characters (a CJK ideograph, an ASCII letter or digit) of every doc. */
(function () {
  "use strict";

  var WORD = "0-9a-z\\u3007\\u3400-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}";
  var RUNS = new RegExp("[" + WORD + "]{2,}", "gu");
  var SEPARATORS = /[ \t\n\r\f\v\u00a0\u3000"“”「」『』]+/;
  var FOLDED = /[A-Z\uff01-\uff5e]/g;
  var FILTERS = ["province", "year", "month", "kind", "column", "from", "to"];
  var FACETS = ["province", "kind", "column"];

  // Full-width ASCII to ASCII, ASCII letters to lower case; the length stays the same.
  function fold(text) {
    return text.replace(FOLDED, function (c) {
      var code = c.charCodeAt(0);
      if (code < 0x80) { return String.fromCharCode(code + 0x20); }
      code -= 0xfee0;
      return String.fromCharCode(code >= 0x41 && code <= 0x5a ? code + 0x20 : code);
    });
  }

  // The distinct words of a query, folded, in the order typed.
  function words(q) {
    var seen = {};
    return fold(q || "").split(SEPARATORS).filter(function (w) {
      if (!w || seen[w]) { return false; }
      seen[w] = true;
      return true;
    });
  }

  // Every pair of consecutive word characters of a folded word, in order.
  function pairs(word) {
    var out = [];
    (word.match(RUNS) || []).forEach(function (run) {
      var chars = Array.from(run);
      for (var i = 0; i + 1 < chars.length; i++) { out.push(chars[i] + chars[i + 1]); }
    });
    return out;
  }

  function distinct(list) {
    return list.filter(function (x, i) { return list.indexOf(x) === i; });
  }

  // The words that have pairs, with their distinct pairs: [{word, pairs}].
  function keyedWords(q) {
    return words(q).map(function (w) { return { word: w, pairs: distinct(pairs(w)) }; })
      .filter(function (k) { return k.pairs.length > 0; });
  }

  // Whether candidates must be checked against the text: some word is not exactly one pair.
  function mustCheck(q) {
    return words(q).some(function (w) { var ps = pairs(w); return ps.length !== 1 || ps[0] !== w; });
  }

  function hasFilters(p) { return FILTERS.some(function (k) { return !!p[k]; }); }

  function dateOk(iso, p) {
    return (!p.year || iso.slice(0, 4) === p.year) && (!p.month || iso.slice(5, 7) === p.month) &&
      (!p.from || iso >= p.from) && (!p.to || iso <= p.to);
  }

  // The order of results: a comparison of hits {unit, n, heads, freq}.
  function order(p) {
    function byDate(a, b) { return a.unit - b.unit || a.n - b.n; }
    if (p.sort === "oldest") { return byDate; }
    if (p.sort === "newest" || !(p.q || "").trim()) { return function (a, b) { return byDate(b, a); }; }
    return function (a, b) { return b.heads - a.heads || b.freq - a.freq || byDate(b, a); };
  }

  function searchable(doc) {
    return doc.kicker + "\n" + doc.title + "\n" + doc.subtitle + "\n" + doc.text;
  }

  function containsWords(doc, ws) {
    var text = fold(searchable(doc));
    return ws.every(function (w) { return text.indexOf(w) !== -1; });
  }

  // About 90 characters of `text` around the first place a word is found (its start when
  // none is), as pieces {text, mark}.
  function excerpt(text, ws) {
    var folded = fold(text);
    function next(from, end) {
      var at = -1, len = 0;
      ws.forEach(function (w) {
        var i = folded.indexOf(w, from);
        if (i !== -1 && i < end && (at === -1 || i < at || (i === at && w.length > len))) { at = i; len = w.length; }
      });
      return [at, len];
    }
    var first = next(0, text.length)[0];
    var start = first === -1 ? 0 : Math.max(0, first - 30);
    var end = Math.min(text.length, start + 90);
    var pieces = [];
    var pos = start;
    while (pos < end) {
      var found = next(pos, end);
      if (found[0] === -1) { break; }
      if (found[0] > pos) { pieces.push({ text: text.slice(pos, found[0]), mark: false }); }
      pieces.push({ text: text.slice(found[0], found[0] + found[1]), mark: true });
      pos = found[0] + found[1];
    }
    if (pos < end) { pieces.push({ text: text.slice(pos, end), mark: false }); }
    if (start > 0) { pieces.unshift({ text: "…", mark: false }); }
    if (end < text.length) { pieces.push({ text: "…", mark: false }); }
    return pieces.map(function (piece) { return { text: piece.text.replace(/\s+/g, " "), mark: piece.mark }; });
  }

  window.GrrbMatch = {
    FILTERS: FILTERS, FACETS: FACETS, fold: fold, words: words, pairs: pairs, keyedWords: keyedWords,
    mustCheck: mustCheck, hasFilters: hasFilters, dateOk: dateOk, order: order, containsWords: containsWords,
    excerpt: excerpt
  };
})();
