/* 工人日报 search: the index (site_builder/search/), read with script elements only, so the
 * same files work from file:// and over http(s) and give the same results.
 *
 * search/catalog.js: the units (a year, half-year, quarter or month of docs, oldest first),
 *   each with its first day, its docs per day and its number of shards;
 * search/u/<unit>/s<k>.js: the postings of the pairs that hash to k (FNV-1a);
 * search/u/<unit>/<province|kind|column>.js: each doc's value of that field;
 * search/d/<yyyy>/<mm>/<dd>/<rank>.js: a doc's card and text.
 * A query reads the catalog, one shard per pair and unit of its date range, the facet files
 * of its filters, and the files of the docs it shows (and checks). */
(function () {
  "use strict";

  var M = window.GrrbMatch;
  var BASE = 45;
  var DIGIT = new Int8Array(128).fill(-1);
  (function () {
    var d = 0;
    for (var c = 0x23; c < 0x7e; c++) { if (c !== 0x5c) { DIGIT[c] = d++; } }
  })();

  // Each index file is `grrbIndex(value);`: the value goes to the element that ran it.
  window.grrbIndex = function (value) {
    var script = document.currentScript;
    if (script) { script.grrbValue = value; }
  };

  function Loader(root) {
    this.root = root;   // the site root, relative to the page ("../")
    this.files = {};
  }

  Loader.prototype.load = function (path) {
    var files = this.files;
    var src = this.root + path;
    if (!files[path]) {
      files[path] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = src;
        s.onload = function () {
          s.remove();
          if ("grrbValue" in s) { resolve(s.grrbValue); } else { reject(new Error("不是检索索引文件：" + path)); }
        };
        s.onerror = function () { s.remove(); reject(new Error("检索索引文件无法载入：" + path)); };
        document.head.appendChild(s);
      });
      files[path].catch(function () { delete files[path]; });
    }
    return files[path];
  };

  // The numbers written in the index's digits (`number` in postings.py), one after another.
  function numbers(text) {
    var out = [];
    var acc = 0;
    for (var i = 0; i < text.length; i++) {
      var d = DIGIT[text.charCodeAt(i)];
      if (d >= BASE) { acc = acc * BASE + d - BASE; } else { out.push(acc * BASE + d); acc = 0; }
    }
    return out;
  }

  function addDays(iso, n) {
    return new Date(Date.parse(iso + "T00:00:00Z") + n * 86400000).toISOString().slice(0, 10);
  }

  // A catalog unit with its days: {name, shards, dates[], starts[], counts[], total}.
  function unitOf(entry, i) {
    var u = { index: i, name: entry.name, shards: entry.shards, dates: [], starts: [], counts: [], total: 0 };
    numbers(entry.days).forEach(function (count, day) {
      if (count) {
        u.dates.push(addDays(entry.first, day));
        u.starts.push(u.total);
        u.counts.push(count);
        u.total += count;
      }
    });
    return u;
  }

  function shardOf(pair, shards) {
    var h = 0x811c9dc5;
    Array.from(pair).forEach(function (c) { h = Math.imul(h ^ c.codePointAt(0), 0x01000193) >>> 0; });
    return h % shards;
  }

  // A shard's pair → the text of its posting list.
  function shardTable(value) {
    if (!value.table) {
      var chars = Array.from(value[0]);
      var lists = value[1].split(" ");
      value.table = new Map();
      for (var i = 0; i + 1 < chars.length; i += 2) { value.table.set(chars[i] + chars[i + 1], lists[i / 2]); }
    }
    return value.table;
  }

  // {docs, heads, freqs} of a posting list, docs in [lo, hi).
  function postings(text, lo, hi) {
    var out = { docs: [], heads: [], freqs: [] };
    var doc = -1;
    numbers(text || "").forEach(function (v) {
      doc += 1 + Math.floor(v / 8);
      if (doc >= lo && doc < hi) {
        out.docs.push(doc);
        out.heads.push((v & 7) >= 4 ? 1 : 0);
        out.freqs.push((v & 3) + 1);
      }
    });
    return out;
  }

  // Docs in both lists; `combine(a, b)` of their (heads, freqs).
  function intersect(a, b, heads, freqs) {
    var out = { docs: [], heads: [], freqs: [] };
    for (var i = 0, j = 0; i < a.docs.length && j < b.docs.length;) {
      if (a.docs[i] === b.docs[j]) {
        out.docs.push(a.docs[i]);
        out.heads.push(heads(a.heads[i], b.heads[j]));
        out.freqs.push(freqs(a.freqs[i], b.freqs[j]));
        i++; j++;
      } else if (a.docs[i] < b.docs[j]) { i++; } else { j++; }
    }
    return out;
  }

  function both(x, y) { return x && y; }
  function sum(x, y) { return x + y; }

  function facetCode(column, n) {
    var code = 0;
    for (var i = n * column.width; i < (n + 1) * column.width; i++) {
      code = code * 90 + DIGIT[column.codes.charCodeAt(i)];
    }
    return code;
  }

  function Engine(root) {
    this.loader = new Loader(root);
    this.catalog = null;
  }

  Engine.prototype.load = function (path) { return this.loader.load(path); };

  Engine.prototype.units = function () {
    if (!this.catalog) {
      this.catalog = this.load("search/catalog.js").then(function (c) {
        return { total: c.total, units: c.units.map(unitOf) };
      });
    }
    return this.catalog;
  };

  // The hits of one unit: [{unit, n, heads, freq, path}].
  Engine.prototype.unitHits = function (u, p, keyed) {
    var wanted = [];
    u.dates.forEach(function (iso, d) { if (M.dateOk(iso, p)) { wanted.push(d); } });
    if (!wanted.length) { return Promise.resolve([]); }
    var first = wanted[0], last = wanted[wanted.length - 1];
    var lo = u.starts[first], hi = u.starts[last] + u.counts[last];
    var self = this;
    var dir = "search/u/" + u.name + "/";
    var shardFiles = {};
    keyed.forEach(function (k) { k.pairs.forEach(function (pair) { shardFiles[shardOf(pair, u.shards)] = true; }); });
    var facets = M.FACETS.filter(function (f) { return p[f]; });
    var ks = Object.keys(shardFiles);
    var loads = ks.map(function (k) { return self.load(dir + "s" + k + ".js"); });
    return Promise.all([Promise.all(loads), Promise.all(facets.map(function (f) { return self.load(dir + f + ".js"); }))])
      .then(function (got) {
        var shards = {};
        ks.forEach(function (k, i) { shards[k] = got[0][i]; });
        var found = null;
        keyed.forEach(function (k) {
          var here = null;
          k.pairs.forEach(function (pair) {
            var list = postings(shardTable(shards[shardOf(pair, u.shards)]).get(pair), lo, hi);
            here = here ? intersect(here, list, both, Math.min) : list;
          });
          found = found ? intersect(found, here, sum, sum) : here;
        });
        if (!found) {
          found = { docs: [], heads: [], freqs: [] };
          for (var n = lo; n < hi; n++) { found.docs.push(n); found.heads.push(0); found.freqs.push(0); }
        }
        var codes = facets.map(function (f, i) { return got[1][i].values.indexOf(p[f]); });
        var hits = [];
        var day = first;
        found.docs.forEach(function (n, i) {
          for (var c = 0; c < codes.length; c++) { if (facetCode(got[1][c], n) !== codes[c]) { return; } }
          while (u.starts[day] + u.counts[day] <= n) { day++; }
          var date = u.dates[day];
          hits.push({
            unit: u.index, n: n, heads: +found.heads[i], freq: found.freqs[i], date: date,
            path: "search/d/" + date.replace(/-/g, "/") + "/" + (n - u.starts[day]) + ".js"
          });
        });
        return hits;
      });
  };

  // → {hits (in result order), check (whether each must be checked against its text),
  //    tooShort (a query with no word of two or more characters)}
  Engine.prototype.search = function (p) {
    var self = this;
    var keyed = M.keyedWords(p.q);
    if ((p.q || "").trim() && !keyed.length) { return Promise.resolve({ hits: [], check: false, tooShort: true }); }
    return this.units().then(function (c) {
      return Promise.all(c.units.map(function (u) { return self.unitHits(u, p, keyed); }));
    }).then(function (perUnit) {
      var hits = [].concat.apply([], perUnit);
      hits.sort(M.order(p));
      return { hits: hits, check: M.mustCheck(p.q), tooShort: false };
    });
  };

  // The result of a hit: the doc's card and an excerpt, or null when it does not hold every
  // word (when `check`).
  Engine.prototype.item = function (hit, p, check) {
    var ws = M.words(p.q);
    return this.load(hit.path).then(function (doc) {
      if (check && !M.containsWords(doc, ws)) { return null; }
      return {
        url: doc.url, title: doc.title, kicker: doc.kicker, subtitle: doc.subtitle, date: doc.date,
        province: doc.province, kind: doc.kind, column: doc.column, excerpt: M.excerpt(doc.text, ws)
      };
    });
  };

  window.GrrbIndex = { Engine: Engine, shardOf: shardOf, numbers: numbers };
})();
