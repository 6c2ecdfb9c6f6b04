/* 工人日报 search over http(s): one Pagefind index per unit (a year, quarter or month:
 * pagefind/2022/, pagefind/2022-q3/, pagefind/2022-11/; site_builder/search_units.py), merged
 * into an instance of the Pagefind library in pagefind/lib/, plus each unit's substring index
 * (pagefind/<unit>/grams/, written by site_builder/search_grams.py).
 *
 * For every unit in scope:
 *   - the page table (pages.grams) gives each page's date, province, kind and column: every
 *     filter and the date sort are applied with it, exactly;
 *   - a term with a run of CJK characters takes its candidates from the bigram postings
 *     (a two-character term exactly; a longer one is checked against the page text);
 *   - Pagefind ranks (its scores) and answers the terms without CJK (numbers, Latin).
 * Results of all units are merged by score (relevance) or by date. */
(function () {
  "use strict";

  var M = window.GrrbMatch;
  var SIGNATURE = "pagefind_dcd";
  var CHECK_UP_FRONT = 400;   // candidates checked before the count is shown; beyond, while paging

  function gunzip(url) {
    return fetch(url).then(function (res) {
      if (!res.ok) { throw new Error(res.status + " " + url); }
      return new Response(res.body.pipeThrough(new DecompressionStream("gzip"))).text();
    });
  }

  function chunkOf(gram, chunks) {
    var chars = Array.from(gram);
    return (chars[0].codePointAt(0) * 31 + chars[1].codePointAt(0)) % chunks;
  }

  function undelta(deltas) {
    var out = new Array(deltas.length);
    var n = 0;
    for (var i = 0; i < deltas.length; i++) { n += deltas[i]; out[i] = n; }
    return out;
  }

  function intersect(a, b) {   // ascending arrays; null means "every page"
    if (a === null) { return b; }
    if (b === null) { return a; }
    var out = [];
    for (var i = 0, j = 0; i < a.length && j < b.length;) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) { i++; } else { j++; }
    }
    return out;
  }

  function Engine(base, units) {
    this.base = base;             // absolute URL of the site's pagefind/ folder, ending in '/'
    this.units = units;           // newest first
    this.libPromise = null;
    this.wasmReady = null;
    this.unitPromises = {};
    this.chunkPromises = {};
    this.fragmentPromises = {};
  }

  Engine.prototype.lib = function () {
    if (!this.libPromise) { this.libPromise = import(this.base + "lib/pagefind.js"); }
    return this.libPromise;
  };

  Engine.prototype.unit = function (y) {
    var self = this;
    if (!this.unitPromises[y]) {
      var table = gunzip(this.base + y + "/grams/pages.grams").then(function (text) {
        var t = JSON.parse(text);
        t.number = {};
        t.ids.forEach(function (id, n) { t.number[id] = n; });
        return t;
      });
      // The instances share one WebAssembly module, which wasm-bindgen keeps in one global:
      // two instances that load it at once would each set it. The first instance is made
      // alone; the others, once it has loaded the module, find it there.
      var prior = this.wasmReady || Promise.resolve();
      var pagefind = Promise.all([this.lib(), prior.catch(function () {})]).then(function (got) {
        var inst = got[0].createInstance({ basePath: new URL("lib/", self.base).pathname });
        return inst.mergeIndex(new URL(y + "/", self.base).pathname).then(function () { return inst; });
      });
      if (!this.wasmReady) { this.wasmReady = pagefind; }
      this.unitPromises[y] = Promise.all([table, pagefind]).then(function (both) {
        return { unit: y, table: both[0], pagefind: both[1] };
      });
      this.unitPromises[y].catch(function () { delete self.unitPromises[y]; });
    }
    return this.unitPromises[y];
  };

  Engine.prototype.postings = function (y, table, gram) {
    var k = chunkOf(gram, table.chunks);
    var key = y + "/" + k;
    if (!this.chunkPromises[key]) {
      this.chunkPromises[key] = gunzip(this.base + y + "/grams/c" + k + ".grams").then(JSON.parse);
    }
    return this.chunkPromises[key].then(function (chunk) { return undelta(chunk[gram] || []); });
  };

  function record(t, n) {
    var day = String(t.days[n]);
    while (day.length < 4) { day = "0" + day; }
    return {
      date: t.year + "-" + day.slice(0, 2) + "-" + day.slice(2),
      province: t.provinces[t.province[n]], kind: t.kinds[t.kind[n]], column: t.columns[t.column[n]]
    };
  }

  // The pages of one unit that match: [{unit, id, date, score}], unchecked.
  Engine.prototype.searchUnit = function (y, p, ts) {
    var self = this;
    var gramTerms = ts.filter(function (t) { return M.cjkRuns(t).length > 0; });
    var otherTerms = ts.filter(function (t) { return M.cjkRuns(t).length === 0; });
    return this.unit(y).then(function (st) {
      var t = st.table;
      var grams = [];
      gramTerms.forEach(function (term) { M.bigrams(term).forEach(function (g) { grams.push(g); }); });
      var lists = Promise.all(grams.map(function (g) { return self.postings(y, t, g); }));
      var query = otherTerms.length ? otherTerms.join(" ") : ts.join(" ");
      var ranked = ts.length ? st.pagefind.search(query) : Promise.resolve({ results: [] });
      return Promise.all([lists, ranked]).then(function (both) {
        var cand = null;
        both[0].forEach(function (list) { cand = intersect(cand, list); });
        var scores = {};
        both[1].results.forEach(function (r) {
          var n = t.number[r.id];   // the lib/ placeholder record is in no unit's table
          if (n !== undefined) { scores[n] = r.score; }
        });
        if (otherTerms.length) {
          cand = intersect(cand, Object.keys(scores).map(Number).sort(function (a, b) { return a - b; }));
        }
        if (cand === null) { cand = t.ids.map(function (_, n) { return n; }); }
        var hits = [];
        cand.forEach(function (n) {
          var rec = record(t, n);
          if (M.recordOk(rec, p)) { hits.push({ unit: y, id: t.ids[n], n: n, date: rec.date, score: scores[n] }); }
        });
        return hits;
      });
    });
  };

  Engine.prototype.fragment = function (y, id) {
    var key = y + "/" + id;
    if (!this.fragmentPromises[key]) {
      this.fragmentPromises[key] = gunzip(this.base + y + "/fragment/" + id + ".pf_fragment").then(function (text) {
        if (text.slice(0, SIGNATURE.length) !== SIGNATURE) { throw new Error("不是 Pagefind 索引片段：" + id); }
        return JSON.parse(text.slice(SIGNATURE.length));
      });
    }
    return this.fragmentPromises[key];
  };

  function first(list) { return (list || [])[0] || ""; }

  function item(frag, ts) {
    var meta = frag.meta || {};
    var f = frag.filters || {};
    var text = (frag.content || "").replace(/\u200b/g, "");
    var title = meta.title || frag.url;
    var at = text.indexOf(title);
    return {
      url: "../" + frag.url.replace(/^\//, ""), title: title, kicker: meta.kicker || "",
      subtitle: meta.subtitle || "", date: meta.date || "", province: first(f.province),
      kind: first(f.kind), column: first(f.column), text: text,
      excerpt: M.excerpt(text, ts, at === -1 ? 0 : at + title.length)
    };
  }

  // → {count, exact, loaders}: a loader gives a Promise of a result item, or of null when
  // the page, read in full, does not contain every term (checked while paging).
  Engine.prototype.search = function (p) {
    var self = this;
    var ts = M.terms(p.q);
    var check = ts.filter(function (t) { return M.cjkRuns(t).length && !M.exactByBigrams(t); });
    var units = M.unitsInScope(this.units, p);
    return Promise.all(units.map(function (u) { return self.searchUnit(u, p, ts); })).then(function (perUnit) {
      var hits = [].concat.apply([], perUnit);
      var byDate = p.sort === "newest" || p.sort === "oldest" || !ts.length;
      var sign = p.sort === "oldest" ? 1 : -1;
      hits.sort(function (a, b) {
        var c = a.date < b.date ? -1 : a.date > b.date ? 1 : (a.unit === b.unit ? a.n - b.n : 0);
        if (byDate) { return sign * c; }
        var sa = a.score === undefined ? -1 : a.score;
        var sb = b.score === undefined ? -1 : b.score;
        return sb - sa || -c;
      });
      var loaders = hits.map(function (h) {
        return function () {
          return self.fragment(h.unit, h.id).then(function (frag) {
            var it = item(frag, ts);
            return check.length && !M.containsAll(it.text, check) ? null : it;
          });
        };
      });
      if (!check.length || hits.length > CHECK_UP_FRONT) {
        return { count: hits.length, exact: !check.length, loaders: loaders };
      }
      // Few candidates: read them all now, so the count is exact.
      return Promise.all(loaders.map(function (load) { return load(); })).then(function (items) {
        var kept = items.filter(Boolean);
        return {
          count: kept.length, exact: true,
          loaders: kept.map(function (it) { return function () { return Promise.resolve(it); }; })
        };
      });
    });
  };

  window.GrrbOnline = { Engine: Engine };
})();
