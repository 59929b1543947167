/* The site's search, in place of Material's lunr worker (overrides/main.html
   points Material's search box to this file; README "Search" says why).

   It speaks the protocol of Material 9.8's worker, so Material's search box and
   result list stay as they are: the page sends SETUP with the index
   (search/search_index.json, both languages), this answers READY; each QUERY
   (the box's text) is answered with RESULT, the matching sections grouped by
   page, best first.

   What it does differently from lunr:
   - A query is text, never syntax: a pasted error line with `:`, `-1`, `+`,
     quotes, braces or backticks is read as its words.
   - Code names are found whole and by their parts: `keras.utils.to_categorical`
     is indexed as itself, as `utils.to_categorical`, `to_categorical`, and as
     `keras`, `utils`, `to`, `categorical`; `CalibratedClassifierCV` also as
     `calibrated`, `classifier`, `cv`.
   - One index per language: the page names its language in this script's URL
     (?lang=en); only that language's sections are searched. When the query
     finds nothing there, the other language's sections are listed, marked with
     the language's name.
   - German words are reduced to a stem (CISTEM, Weissweiler & Fraser 2017,
     plus the participle "ge" and "-ung"), and a German word that the site does
     not use is split into words it does use ("Schwellenwert" -> Schwelle +
     Wert); a word also finds the compounds that end in it.
   - Ranking: per query word BM25 over heading, prose and code (heading first,
     code last), plus a bonus for every pair of neighbouring query words that
     stands next to each other in the section: a pasted message matches its
     entry pair after pair, another section only word by word.
   - In a query of one or two words, a word that the site's code uses as a
     name (`epochs=`, `keras.Model`, `Model(`) is looked up as that name:
     where it stands as the code writes it (a capitalised one in its own
     case) it counts fully; as a stemmed or lower-cased word ("Epochen" for
     `epochs`, "model" for `Model`) or a part of a longer name
     (`ModelCheckpoint`) a third, and at most a third of the name's best
     section, wherever it stands (a heading weighs 20 times the code). A
     longer query is a pasted line: text.
*/
"use strict";

/* Material's message types (integrations/search/worker/message) */
const SETUP = 0;
const READY = 1;
const QUERY = 2;
const RESULT = 3;

/* Field weights and BM25 constants */
const FIELDS = { title: 6, prose: 1, code: 0.3 };
const K1 = 1.2;
const B = 0.5;
const PAIR = 1.5; // bonus per neighbouring query pair found in a section
const ALIAS = 0.8; // a tail of a dotted query name: to_categorical of keras.utils.…
const PART = 0.35; // a part of a code name, against the whole name
const PREFIX = 0.5; // a word the query word begins (as-you-type)
const COMPOUND = 0.5; // a compound that ends in the query word, or its parts
/* A typed word that the site's code uses as a name (`epochs=`, `keras.Model`,
   `Model(`) is first that name: the sections writing it as the code does
   count fully; its matches as a word (stemmed: `epochs` ~ "Epochen"; any
   case: `Model` ~ "model") and as a part of longer names (`ModelCheckpoint`)
   count this much, and no more than this share of the name's best section. */
const AS_WORD = 0.3;

const ERROR_LINE = /(?:^|\s)(?:[A-Za-z_][\w.]*\.)?[A-Z]\w*(?:Error|Exception|Warning):/;
const RUN = 1; // a section holding the whole pasted line: score times 1 + RUN
const RUN_MIN = 3; // words in a query before runs count
const RUN_CANDIDATES = 50; // best sections whose runs are measured
const ARTICLE = 0.6; // a page's introduction, against its sections
const PAGE_TITLE = 2; // a page whose title is the whole query, against any section
const MAX_SECTIONS = 100; // listed at most, best first

const LANGUAGE_NAMES = { de: "Deutsch", en: "English" };

/* ---- text ---------------------------------------------------------------- */

const RAW = /[\p{L}\p{N}_]+(?:[.'’][\p{L}\p{N}_]+)*/gu;
const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", nbsp: " " };

function unescape(text) {
  return text.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, name) => ENTITIES[name]);
}

/* The fields of a section's HTML, as text without tags: prose, code (<pre>
   blocks), and where names of code stand: the statements of its code blocks
   and the prose's inline code (`<code>epochs</code>`). */
function fields(html) {
  const code = [];
  const prose = html.replace(/<pre\b[\s\S]*?<\/pre>/g, block => {
    code.push(block);
    return " ";
  });
  const inline = [...prose.matchAll(/<code\b[^>]*>([\s\S]*?)<\/code>/g)].map(m => m[1]);
  const strip = text => unescape(text.replace(/<[^>]+>/g, " "));
  return {
    prose: strip(prose),
    code: strip(code.join(" ")),
    codeNames: code.map(block => statements(strip(block))).join(" "),
    inlineNames: inline.map(text => statements(strip(text))).join(" "),
  };
}

/* Code without what is not a name: a session's output (the lines that do not
   start with `>>>` or `...`), strings, comments and Python's keywords. An
   error message printed below the code is output, its words are no names. */
const STRING = /("""|''')[\s\S]*?\1|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'/g;
const PROMPT = /^\s*(?:>>>|\.\.\.)/;
/* two names side by side: a message or a phrase in code marks ("must have
   the same rank"), not a statement (keywords are gone by then) */
const TEXT = /[\p{L}_][\p{L}\p{N}_]*\s+[\p{L}_]/u;
const KEYWORDS = new RegExp(
  "\\b(?:False|None|True|and|as|assert|async|await|break|class|continue|def|" +
    "del|elif|else|except|finally|for|from|global|if|import|in|is|lambda|" +
    "nonlocal|not|or|pass|raise|return|try|while|with|yield)\\b",
  "g"
);

function statements(text) {
  let lines = text.split("\n");
  if (lines.some(line => /^\s*>>>/.test(line)))
    lines = lines.filter(line => PROMPT.test(line)).map(line => line.replace(PROMPT, ""));
  return lines
    .join("\n")
    .replace(STRING, " ")
    .replace(/#.*$/gm, " ")
    .replace(KEYWORDS, " ")
    .split("\n")
    .filter(line => !TEXT.test(line))
    .join("\n");
}

/* A name as the code writes it: itself and its dotted tails, in its own case
   (`keras.Model` -> `keras.Model`, `Model`), never its parts. A key of the
   exact case and one in lower case, for a query typed in lower case. */
const EXACT = "\u0000";
const LOWER = "\u0001";

function names(raw) {
  const dotted = raw.split(".");
  return dotted.map((_, i) => dotted.slice(i).join("."));
}

/* The key a query word looks up among the names: a name with a capital in its
   own case (`Model` is not `model`), one in lower case in any case
   (`earlystopping` finds `EarlyStopping`). */
function nameKey(raw) {
  return /\p{Lu}/u.test(raw) ? EXACT + raw : LOWER + raw.toLowerCase();
}

/* camelCase, digits and underscores: the parts of one name */
function nameParts(name) {
  return name
    .split(/[._'’]+/)
    .flatMap(part =>
      part
        .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, "$1 $2")
        .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, "$1 $2")
        .split(" ")
    )
    .filter(Boolean);
}

/* One raw word of the text as index terms. A code name gives itself
   (`main`), its dotted tails and underscore names as aliases, counted like
   the name (`keras.utils.to_categorical` -> `utils.to_categorical`,
   `to_categorical`), and its parts, counted less (`to`, `categorical`). */
function expand(raw, stem) {
  const lower = raw.toLowerCase();
  const pieces = nameParts(raw);
  const isName = /[._]/.test(raw) || pieces.length > 1;
  if (!isName) return { main: stem(lower), aliases: [], parts: [], lower };
  /* a tail that is itself a name (`to_categorical`, `Dense`, `layers.Dense`),
     not a plain word (`get` of `activations.get`, `fit` of `model.fit`) */
  const aliases = new Set();
  const dotted = raw.split(".");
  const isAlias = tail => /[._\p{Lu}]/u.test(tail);
  for (let i = 1; i < dotted.length; i++) {
    const tail = dotted.slice(i).join(".");
    if (isAlias(tail)) aliases.add(tail.toLowerCase());
  }
  for (const piece of dotted) if (piece.includes("_")) aliases.add(piece.toLowerCase());
  aliases.delete(lower);
  const parts = new Set(pieces.map(part => stem(part.toLowerCase())));
  for (const alias of aliases) parts.delete(alias);
  parts.delete(lower);
  return { main: lower, aliases: [...aliases], parts: [...parts], lower };
}

function words(text, stem) {
  const found = [];
  for (const [raw] of text.matchAll(RAW)) found.push(expand(raw, stem));
  return found;
}

/* ---- stemming ------------------------------------------------------------ */

const FOLD = { ä: "a", ö: "o", ü: "u", ß: "ss" };
const fold = word => word.replace(/[äöüß]/g, c => FOLD[c]);

/* CISTEM (case-insensitive) after folding; "ge" of a participle after its
   prefix (angepasst -> anpasst) and a final "ung" (Anpassung -> anpass). */
const PARTICIPLE =
  /^((?:uber|unter|an|ab|auf|aus|bei|ein|vor|zu|um|mit|nach|zuruck|her|hin|weg|fest|durch){1,2})ge(?=.{2,}t(?:e[nmrs]?)?$)/;

function stemDe(word) {
  if (/[^\p{L}]/u.test(word)) return word;
  let w = fold(word).replace(PARTICIPLE, "$1").replace(/^ge(?=.{4,})/, "");
  w = w.replace(/sch/g, "$").replace(/ie/g, "&").replace(/ei/g, "%");
  w = w.replace(/(.)\1/g, "$1*");
  while (w.length > 3) {
    if (w.length > 5 && /e[mr]$/.test(w)) w = w.slice(0, -2);
    else if (w.length > 5 && /nd$/.test(w)) w = w.slice(0, -2);
    else if (/[tesn]$/.test(w)) w = w.slice(0, -1);
    else break;
  }
  if (w.length > 6 && w.endsWith("ung")) w = w.slice(0, -3);
  w = w.replace(/(.)\*/g, "$1$1");
  return w.replace(/%/g, "ei").replace(/&/g, "ie").replace(/\$/g, "sch");
}

function stemEn(word) {
  if (/[^\p{L}]/u.test(word)) return word;
  let w = word.replace(/['’]s$/, "");
  if (w.length > 4 && w.endsWith("ies")) w = w.slice(0, -3) + "y";
  else if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.length > 3 && /[^sui]s$/.test(w)) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith("ing")) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith("ed")) w = w.slice(0, -2);
  else if (w.length > 6 && w.endsWith("ion")) w = w.slice(0, -3);
  if (/([^aeiouslz])\1$/.test(w)) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith("e")) w = w.slice(0, -1);
  return w.replace(/y$/, "i");
}

const STEMMERS = { de: stemDe, en: stemEn };

const reverse = word => [...word].reverse().join("");

/* The words of a sorted list that begin with `start` */
function* range(sorted, start) {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] < start) low = middle + 1;
    else high = middle;
  }
  for (let i = low; i < sorted.length && sorted[i].startsWith(start); i++)
    if (sorted[i] !== start) yield sorted[i];
}

/* ---- the index of one language -------------------------------------------- */

class Index {
  constructor(language, docs) {
    this.language = language;
    this.stem = STEMMERS[language] || stemEn;
    this.docs = docs;
    this.postings = new Map(); // term -> Map(doc number -> {title, prose, code})
    this.lengths = { title: [], prose: [], code: [] };
    this.pairs = []; // per doc: Set of "a b" neighbouring main terms
    this.sequences = []; // per doc: its main terms in order, as numbers
    this.numbers = new Map(); // main term -> number
    this.named = new Map(); // name key -> Map(doc number -> {title, prose, code})
    this.codeNames = new Set(); // name keys that code (<pre> or inline) uses
    const read = docs.map(doc => ({
      ...fields(doc.text || ""),
      title: unescape((doc.title || "").replace(/<[^>]+>/g, " ")),
    }));
    /* the names the code uses (its statements, the prose's inline code) */
    for (const { codeNames, inlineNames } of read)
      for (const [raw] of `${codeNames} ${inlineNames}`.matchAll(RAW))
        for (const name of names(raw)) this.codeNames.add(nameKey(name));
    read.forEach((section, n) => this.add(section, n));
    this.average = {};
    for (const field of Object.keys(FIELDS)) {
      const total = this.lengths[field].reduce((a, b) => a + b, 0);
      this.average[field] = Math.max(total / Math.max(docs.length, 1), 1);
    }
    /* words of letters, sorted, and sorted backwards: the words a query word
       begins, and the compounds it ends, are a range of each */
    const letters = [...this.postings.keys()].filter(t => /^\p{L}+$/u.test(t));
    this.forward = letters.slice().sort();
    this.backward = letters.map(reverse).sort();
  }

  add({ title, prose, code }, n) {
    /* where the section writes a name of the code as the code does: in its
       heading (headings name API names without code marks: "Checkpoints mit
       ModelCheckpoint"), its prose, its code (output too: a message as
       printed); only the keys a query can look up */
    for (const [field, text] of [["title", title], ["prose", prose], ["code", code]]) {
      for (const [raw] of text.matchAll(RAW)) {
        for (const name of names(raw)) {
          for (const key of new Set([EXACT + name, LOWER + name.toLowerCase()]))
            if (this.codeNames.has(key)) this.count(key, n, field, 1, this.named);
        }
      }
    }
    const pairs = new Set();
    const sequence = []; // the section's words in order, as numbers
    for (const [field, text] of [["title", title], ["prose", prose], ["code", code]]) {
      const found = words(text, this.stem);
      this.lengths[field][n] = found.length;
      let previous = null;
      for (const { main, aliases, parts } of found) {
        this.count(main, n, field, 1);
        for (const alias of aliases) this.count(alias, n, field, 1);
        for (const part of parts) this.count(part, n, field, PART);
        if (previous !== null) pairs.add(`${previous} ${main}`);
        sequence.push(this.number(main));
        previous = main;
      }
    }
    this.pairs[n] = pairs;
    this.sequences[n] = Int32Array.from(sequence);
  }

  number(term) {
    if (!this.numbers.has(term)) this.numbers.set(term, this.numbers.size);
    return this.numbers.get(term);
  }

  /* The longest run of the query's words that stands in the section as it
     stands in the query */
  run(query, n) {
    const words = this.sequences[n];
    let best = 0;
    let previous = new Int32Array(words.length + 1);
    let current = new Int32Array(words.length + 1);
    for (const word of query) {
      for (let j = 1; j <= words.length; j++) {
        current[j] = words[j - 1] === word ? previous[j - 1] + 1 : 0;
        if (current[j] > best) best = current[j];
      }
      [previous, current] = [current, previous];
    }
    return best;
  }

  count(term, n, field, weight, postings = this.postings) {
    let posting = postings.get(term);
    if (!posting) postings.set(term, (posting = new Map()));
    let counts = posting.get(n);
    if (!counts) posting.set(n, (counts = { title: 0, prose: 0, code: 0 }));
    counts[field] += weight;
  }

  idf(term, postings = this.postings) {
    const df = postings.get(term)?.size || 0;
    const N = this.docs.length;
    return Math.log(1 + (N - df + 0.5) / (df + 0.5));
  }

  /* A query word as index terms with weights: itself; the words it begins
     (the reader is still typing); compounds ending in it; and, when the
     site does not use it, the known words it is made of. */
  variants(term, allowPrefix) {
    const found = new Map();
    if (this.postings.has(term)) found.set(term, 1);
    if (/^\p{L}+$/u.test(term) && term.length >= 3) {
      if (term.length >= 5)
        for (const known of range(this.backward, reverse(term)))
          if (known.length <= term.length + 12) found.set(reverse(known), COMPOUND);
      if (allowPrefix)
        for (const known of range(this.forward, term))
          if (known.length <= term.length + 12) found.set(known, PREFIX);
    }
    return found;
  }

  /* "schwellenwert" -> ["schwell", "wer"]: words of the index, longest first,
     with the linking s/n/en/es of German compounds. */
  split(word) {
    if (this.language !== "de" || word.length < 7) return null;
    this.splits ||= new Map();
    if (!this.splits.has(word)) this.splits.set(word, this.splitOnce(word));
    return this.splits.get(word);
  }

  splitOnce(word) {
    const raw = fold(word);
    for (let i = raw.length - 3; i >= 3; i--) {
      const head = raw.slice(i);
      const headStem = this.stem(head);
      if (!this.postings.has(headStem)) continue;
      for (const link of ["", "s", "n", "en", "es"]) {
        const left = raw.slice(0, i);
        if (link && !left.endsWith(link)) continue;
        const base = left.slice(0, left.length - link.length);
        if (base.length < 3) continue;
        const baseStem = this.stem(base);
        if (this.postings.has(baseStem)) return [baseStem, headStem];
        const deeper = this.split(base);
        if (deeper) return [...deeper, headStem];
      }
    }
    return null;
  }

  /* BM25 of one term in one doc, over the three fields */
  bm25(counts, n) {
    let score = 0;
    for (const [field, weight] of Object.entries(FIELDS)) {
      const tf = counts[field];
      if (!tf) continue;
      const norm = 1 - B + (B * this.lengths[field][n]) / this.average[field];
      score += (weight * (tf * (K1 + 1))) / (tf + K1 * norm);
    }
    return score;
  }

  search(query) {
    const found = words(query, this.stem);
    if (!found.length) return [];
    const scores = new Map();
    const matched = new Map(); // doc -> Set of query words found
    const add = (n, value, word) => {
      scores.set(n, (scores.get(n) || 0) + value);
      if (!matched.has(n)) matched.set(n, new Set());
      matched.get(n).add(word);
    };
    /* one scoring unit per distinct query word, with its weight */
    const units = new Map();
    const raws = [...query.matchAll(RAW)].map(([raw]) => raw);
    /* one or two words are looked up as names; a longer query is a pasted
       line, read as text (its runs of words decide, below) */
    const lookup = found.length < RUN_MIN;
    found.forEach(({ main, aliases, parts, lower }, i) => {
      const last = i === found.length - 1;
      if (!units.has(main))
        units.set(main, { weight: 1, prefix: last, aliases, parts, lower, raw: raws[i] });
    });
    for (const [main, { weight, prefix, aliases, parts, lower, raw }] of units) {
      /* a name of the site's code, typed to look it up: the name first, the
         word after it; the reader typed it whole, so the longer names it
         begins are not offered (`Model` is no prefix of `ModelCheckpoint`) */
      const name = lookup && this.codeNames.has(nameKey(raw));
      const variants = this.variants(main, prefix && !name);
      if (!variants.size) {
        const pieces = this.split(lower);
        if (pieces) for (const piece of pieces) variants.set(piece, COMPOUND);
      }
      for (const alias of aliases) {
        if (!variants.has(alias) && this.postings.has(alias)) variants.set(alias, ALIAS);
      }
      /* parts only for a name the site does not use (predict_classes) */
      const known = this.postings.has(main) || aliases.some(a => this.postings.has(a));
      for (const part of known ? [] : parts) {
        if (!variants.has(part) && this.postings.has(part)) variants.set(part, PART);
      }
      /* per doc the best variant counts, so a word is not counted twice */
      const score = (into, postings, term, factor) => {
        const idf = this.idf(term, postings);
        for (const [n, counts] of postings.get(term) || []) {
          const value = weight * factor * idf * this.bm25(counts, n);
          if (value > (into.get(n) || 0)) into.set(n, value);
        }
      };
      const best = new Map();
      if (name) {
        /* the name as the code writes it, then its word forms at a third;
           AS_WORD alone does not keep them after the name: the heading's
           weight (6) against the code's (0.3) would let a word form in a
           heading ("One-Hot" for `ones`, "Epoche" for `epochs`) outrank the
           sections whose code uses the name; so a word form counts at most
           a third of the name's best section */
        score(best, this.named, nameKey(raw), 1);
        const cap = AS_WORD * Math.max(0, ...best.values());
        const forms = new Map();
        for (const [term, factor] of variants)
          score(forms, this.postings, term, factor * AS_WORD);
        for (const [n, value] of forms) {
          const capped = best.size ? Math.min(value, cap) : value;
          if (capped > (best.get(n) || 0)) best.set(n, capped);
        }
      } else {
        for (const [term, factor] of variants) score(best, this.postings, term, factor);
      }
      for (const [n, value] of best) add(n, value, main);
    }
    /* neighbouring query words that stand together in the section */
    for (let i = 1; i < found.length; i++) {
      const pair = `${found[i - 1].main} ${found[i].main}`;
      const weight = PAIR * (this.idf(found[i - 1].main) + this.idf(found[i].main)) / 2;
      for (const n of scores.keys()) if (this.pairs[n].has(pair)) add(n, weight, null);
    }
    /* a pasted line: the section that holds more of it word for word ranks
       higher (the whole line: twice the score) */
    if (found.length >= RUN_MIN) {
      const query = found.map(({ main }) => this.numbers.get(main) ?? -1);
      const top = [...scores].sort((a, b) => b[1] - a[1]).slice(0, RUN_CANDIDATES);
      for (const [n, score] of top) {
        const share = this.run(query, n) / query.length;
        scores.set(n, score * (1 + RUN * share ** 3));
      }
    }
    /* a pasted exception or warning: the page whose front matter boosts it
       (the errors page, `search: boost:`) answers before a page that shows
       the same message in passing */
    const pasted = ERROR_LINE.test(query);
    for (const [n, score] of scores) {
      const boost = this.docs[n].boost;
      if (pasted && boost) scores.set(n, score * boost);
    }
    /* a page's introduction (its overview, such as the errors page's table of
       messages) ranks after a section that matches as well; but a page whose
       title is the query ("Entscheidungsschwelle") is what the reader asked
       for, before the sections of other pages with that heading (the cheat
       sheet's summary of it) */
    const plain = text => [...text.matchAll(RAW)].map(([raw]) => raw.toLowerCase()).join(" ");
    const typed = plain(query);
    const factor = doc =>
      doc.location.includes("#") ? 1 : plain(unescape(doc.title)) === typed ? PAGE_TITLE : ARTICLE;
    return [...scores]
      .map(([n, score]) => ({ n, score: score * factor(this.docs[n]), words: matched.get(n) }))
      .sort((a, b) => b.score - a.score);
  }
}

/* ---- results as Material lists them --------------------------------------- */

function language(location, languages) {
  const [folder] = location.split("/");
  return languages.includes(folder) ? folder : null;
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/* A function that <mark>s the query's words in the text between tags */
function marker(terms) {
  if (!terms.length) return html => html;
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}_])(${terms.map(escapeRegExp).join("|")})(?![\\p{L}\\p{N}_])`,
    "giu"
  );
  return html =>
    html.replace(/(^|>)([^<]+)/g, (_, open, text) =>
      open + text.replace(pattern, "<mark>$1</mark>")
    );
}

class Search {
  constructor({ config, docs }, current) {
    const codes = config.lang || [];
    /* a language with a folder of its own ("en/"); the default has none */
    const folders = codes.filter(code =>
      docs.some(doc => doc.location.startsWith(`${code}/`))
    );
    const fallback = codes.find(code => !folders.includes(code)) || codes[0];
    this.current = codes.includes(current) ? current : fallback;
    const byLanguage = new Map(codes.map(code => [code, []]));
    for (const doc of docs) {
      const code = language(doc.location, folders) || fallback;
      byLanguage.get(code)?.push(doc);
    }
    /* the reader's language is indexed now; another only when a query finds
       nothing in it (building an index is most of the wait before the first
       result, and it is made again on every page the reader opens) */
    this.sections = byLanguage;
    this.indexes = new Map();
    this.index(this.current);
  }

  index(code) {
    if (!this.indexes.has(code)) this.indexes.set(code, new Index(code, this.sections.get(code)));
    return this.indexes.get(code);
  }

  search(query) {
    const own = this.index(this.current);
    let hits = own.search(query).map(hit => ({ ...hit, index: own }));
    if (!hits.length) {
      for (const code of this.sections.keys()) {
        if (code === this.current) continue;
        const index = this.index(code);
        hits = hits.concat(index.search(query).map(hit => ({ ...hit, index })));
      }
      hits.sort((a, b) => b.score - a.score);
    }
    const raw = [...query.matchAll(RAW)].map(([word]) => word);
    this.markers = new Map();
    return { items: this.group(hits, raw) };
  }

  /* Material's list: one item per page, its article first, then its sections
     by score; pages in the order of their best section. */
  group(hits, raw) {
    const groups = new Map();
    for (const { n, score, words: found, index } of hits.slice(0, MAX_SECTIONS)) {
      const doc = index.docs[n];
      const [path] = doc.location.split("#");
      if (!groups.has(path)) groups.set(path, { index, items: [] });
      const terms = Object.fromEntries(
        raw
          .filter(word => word.length > 3 && found.has(expand(word, index.stem).main))
          .slice(0, 12)
          .map(word => [word.toLowerCase(), true])
      );
      groups.get(path).items.push({ doc, score, terms, index });
    }
    const items = [];
    for (const [path, { index, items: found }] of groups) {
      if (!found.some(({ doc }) => doc.location === path)) {
        const article = index.docs.find(doc => doc.location === path);
        if (article) found.push({ doc: article, score: 0, terms: {}, index });
      }
      items.push(found.map(item => this.render(item, this.markers)));
    }
    return items;
  }

  render({ doc, score, terms, index }, markers) {
    const key = Object.keys(terms).join(" ");
    if (!markers.has(key)) markers.set(key, marker(Object.keys(terms)));
    const highlight = markers.get(key);
    let title = highlight(doc.title);
    if (index.language !== this.current) {
      const name = LANGUAGE_NAMES[index.language] || index.language;
      title += ` <span class="search-result-language" lang="${index.language}">${name}</span>`;
    }
    return {
      location: doc.location,
      title,
      text: highlight(doc.text || ""),
      score,
      terms,
    };
  }
}

/* ---- the worker ------------------------------------------------------------ */

/* The page's language: ?lang= of this script (a Worker's location, or the
   offline copy's iframe stand-in, spickzettel/offline_worker.js) */
function pageLanguage() {
  let url = typeof self !== "undefined" && self.location && self.location.href;
  if (typeof document !== "undefined") {
    const script = document.querySelector("script[src*='search-worker']");
    if (script) url = script.src;
  }
  try {
    return new URL(url).searchParams.get("lang");
  } catch {
    return null;
  }
}

let search = null;

function handle(message) {
  switch (message.type) {
    case SETUP:
      search = new Search(message.data, pageLanguage());
      return { type: READY };
    case QUERY:
      try {
        return { type: RESULT, data: search.search(message.data) };
      } catch (error) {
        console.warn("search failed", error);
        return { type: RESULT, data: { items: [] } };
      }
    default:
      throw new TypeError("Invalid message type");
  }
}

if (typeof addEventListener === "function")
  addEventListener("message", event => postMessage(handle(event.data)));

/* so that Node can load it: a query tried against site/search/search_index.json */
if (typeof module !== "undefined") {
  module.exports = { Search, Index, stemDe, stemEn, words, handle };
}
