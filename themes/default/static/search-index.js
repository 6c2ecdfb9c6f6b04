/* 工人日报 search: the index (site_builder/search/), read with script elements only, so the
 * same files work from file:// and over http(s) and give the same results.
 *
 * search/catalog.js: the shard count and the groups (consecutive years, oldest first), each
 *   with its units (a year, half-year, quarter or month of docs): first day, docs per day;
 * search/g/<group>/s<k>.js: for each unit of the group, the postings of its pairs that hash
 *   to k (FNV-1a);
 * search/g/<group>/<province|kind|column>.js: each unit's docs' values of that field;
 * search/d/<yyyy>/<mm>/<dd>/<rank>.js: a doc's card and text.
 * A query reads the catalog, one shard per pair and group of its date range, the facet files
 * of its filters, and the files of the docs it shows (and checks). */
(function () {
  "use strict";

  var M = window.GrrbMatch;
  var BASE = 45;
  var DOC_BITS = 134217728;   // 2^27: a doc's place in the archive, below the score in a sort key
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

  // The numbers written in the index's digits (`number` in digits.py), one after another.
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

  function shardOf(pair, shards) {
    var h = 0x811c9dc5;
    Array.from(pair).forEach(function (c) { h = Math.imul(h ^ c.codePointAt(0), 0x01000193) >>> 0; });
    return h % shards;
  }

  // The catalog: {shards, total, groups: [{name, units}], units: [{index, name, group, base,
  // dates[], starts[], counts[], total}]} (`base`: the docs of the units before it).
  function readCatalog(c) {
    var units = [];
    var base = 0;
    var groups = c.groups.map(function (g) {
      return {
        name: g.name, units: g.units.map(function (entry) {
          var u = { index: units.length, name: entry.name, group: g.name, base: base, dates: [], starts: [], counts: [], total: 0 };
          numbers(entry.days).forEach(function (count, day) {
            if (count) {
              u.dates.push(addDays(entry.first, day));
              u.starts.push(u.total);
              u.counts.push(count);
              u.total += count;
            }
          });
          base += u.total;
          units.push(u);
          return u;
        })
      };
    });
    return { shards: c.shards, total: c.total, groups: groups, units: units };
  }

  // A unit's pair → the text of its posting list, from its part of a shard file.
  function pairTable(part) {
    if (!part) { return null; }
    if (!part.table) {
      var chars = Array.from(part[0]);
      var lists = part[1].split(" ");
      part.table = new Map();
      for (var i = 0; i + 1 < chars.length; i += 2) { part.table.set(chars[i] + chars[i + 1], lists[i / 2]); }
    }
    return part.table;
  }

  // {docs, heads, freqs} of a posting list, docs in [lo, hi).
  function postings(text, lo, hi) {
    var out = { docs: [], heads: [], freqs: [] };
    var doc = -1;
    var acc = 0;
    text = text || "";
    for (var i = 0; i < text.length; i++) {
      var d = DIGIT[text.charCodeAt(i)];
      if (d >= BASE) { acc = acc * BASE + d - BASE; continue; }
      var v = acc * BASE + d;
      acc = 0;
      doc += 1 + (v >>> 3);
      if (doc >= hi) { break; }
      if (doc >= lo) {
        out.docs.push(doc);
        out.heads.push((v & 7) >= 4 ? 1 : 0);
        out.freqs.push((v & 3) + 1);
      }
    }
    return out;
  }

  // Docs in both lists, with `heads(a, b)` and `freqs(a, b)` of theirs.
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

  function both(x, y) { return x & y; }
  function sum(x, y) { return x + y; }

  // Each doc's index into a facet column's values (`facet_codes` in postings.py).
  function facetCodes(column) {
    if (!column.decoded) {
      var codes = [];
      if (column.runs !== undefined) {
        var found = numbers(column.runs);
        for (var r = 0; r < found.length; r += 2) { for (var k = 0; k < found[r + 1]; k++) { codes.push(found[r]); } }
      } else {
        for (var i = 0; i < column.codes.length; i += column.width) {
          var code = 0;
          for (var j = i; j < i + column.width; j++) { code = code * 90 + DIGIT[column.codes.charCodeAt(j)]; }
          codes.push(code);
        }
      }
      column.decoded = codes;
    }
    return column.decoded;
  }

  // The docs of a unit in [lo, hi) with every pair of every word: {docs, heads, freqs}.
  function unitMatches(u, keyed, shardPart, lo, hi) {
    if (!keyed.length) {
      var all = { docs: [], heads: [], freqs: [] };
      for (var n = lo; n < hi; n++) { all.docs.push(n); all.heads.push(0); all.freqs.push(0); }
      return all;
    }
    var found = null;
    keyed.forEach(function (k) {
      var here = null;
      k.pairs.forEach(function (pair) {
        var table = pairTable(shardPart(pair));
        var list = postings(table && table.get(pair), lo, hi);
        here = here ? intersect(here, list, both, Math.min) : list;
      });
      found = found ? intersect(found, here, sum, sum) : here;
    });
    return found;
  }

  /* The hits of a search, sorted: `keys[i]` is the score (for relevance) above the doc's place
   * in the archive; a hit object is made only for the hits asked for (`slice`). */
  function Hits(keys, catalog) {
    this.keys = keys;
    this.catalog = catalog;
    this.length = keys.length;
  }

  Hits.prototype.at = function (i) {
    var g = this.keys[i] % DOC_BITS;
    var units = this.catalog.units;
    var lo = 0, hi = units.length - 1;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (units[mid].base <= g) { lo = mid; } else { hi = mid - 1; } }
    var u = units[lo];
    var n = g - u.base;
    var day = 0;
    while (u.starts[day] + u.counts[day] <= n) { day++; }
    var date = u.dates[day];
    return { unit: u.index, n: n, date: date, path: "search/d/" + date.replace(/-/g, "/") + "/" + (n - u.starts[day]) + ".js" };
  };

  Hits.prototype.slice = function (from, to) {
    var out = [];
    for (var i = from; i < Math.min(to, this.length); i++) { out.push(this.at(i)); }
    return out;
  };

  function Engine(root) {
    this.loader = new Loader(root);
    this.catalog = null;
  }

  Engine.prototype.load = function (path) { return this.loader.load(path); };

  Engine.prototype.units = function () {
    if (!this.catalog) { this.catalog = this.load("search/catalog.js").then(readCatalog); }
    return this.catalog;
  };

  // The sort keys of one group's hits.
  Engine.prototype.groupKeys = function (catalog, g, p, keyed, score) {
    var scope = [];
    g.units.forEach(function (u) {
      var wanted = [];
      u.dates.forEach(function (iso, d) { if (M.dateOk(iso, p)) { wanted.push(d); } });
      if (wanted.length) {
        var last = wanted[wanted.length - 1];
        scope.push({ unit: u, lo: u.starts[wanted[0]], hi: u.starts[last] + u.counts[last] });
      }
    });
    if (!scope.length) { return Promise.resolve([]); }
    var self = this;
    var dir = "search/g/" + g.name + "/";
    var ks = {};
    keyed.forEach(function (k) { k.pairs.forEach(function (pair) { ks[shardOf(pair, catalog.shards)] = true; }); });
    ks = Object.keys(ks);
    var facets = M.FACETS.filter(function (f) { return p[f]; });
    return Promise.all([Promise.all(ks.map(function (k) { return self.load(dir + "s" + k + ".js"); })),
      Promise.all(facets.map(function (f) { return self.load(dir + f + ".js"); }))]).then(function (got) {
      var shards = {};
      ks.forEach(function (k, i) { shards[k] = got[0][i]; });
      var keys = [];
      scope.forEach(function (s) {
        var u = s.unit;
        var found = unitMatches(u, keyed, function (pair) { return shards[shardOf(pair, catalog.shards)][u.name]; }, s.lo, s.hi);
        var columns = facets.map(function (f, i) {
          var column = got[1][i][u.name];
          return { codes: facetCodes(column), want: column.values.indexOf(p[f]) };
        });
        found.docs.forEach(function (n, i) {
          for (var c = 0; c < columns.length; c++) { if (columns[c].codes[n] !== columns[c].want) { return; } }
          keys.push((score ? found.heads[i] * 4096 + found.freqs[i] : 0) * DOC_BITS + u.base + n);
        });
      });
      return keys;
    });
  };

  // → {hits (in result order), check (whether each must be checked against its text),
  //    tooShort (a query with no word of two or more characters)}
  Engine.prototype.search = function (p) {
    var self = this;
    var keyed = M.keyedWords(p.q);
    if ((p.q || "").trim() && !keyed.length) { return Promise.resolve({ hits: new Hits([], null), check: false, tooShort: true }); }
    var byScore = !!(p.q || "").trim() && p.sort !== "newest" && p.sort !== "oldest";
    return this.units().then(function (catalog) {
      return Promise.all(catalog.groups.map(function (g) { return self.groupKeys(catalog, g, p, keyed, byScore); }))
        .then(function (perGroup) {
          var keys = Float64Array.from([].concat.apply([], perGroup));
          keys.sort();
          if (p.sort !== "oldest") { keys.reverse(); }
          return { hits: new Hits(keys, catalog), check: M.mustCheck(p.q), tooShort: false };
        });
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
        sheet: doc.sheet, province: doc.province, kind: doc.kind, column: doc.column, excerpt: M.excerpt(doc.text, ws)
      };
    });
  };

  window.GrrbIndex = { Engine: Engine, shardOf: shardOf, numbers: numbers };
})();
