/* What the site's search worker answers, in Node, without a browser (for the
   verdict cache's keys of the search checks: tests/browser/search_answers.py).

   Reads one JSON object from stdin: {worker: the worker script's source, index:
   the search index ({config, docs}, as Material posts it with SETUP),
   queries: [[language, query, listed], ...], shown: false}. Writes a JSON array:
   per query the SHA-256 of what Material's result list shows of the answer
   (`shown`), or with `shown: true` that itself (for the test that holds it to
   what the browser shows).

   The worker runs as the browser runs it: the same script, the same index, and
   its Search set up for the page's language, as its SETUP handler does. */
"use strict";

const crypto = require("crypto");
const fs = require("fs");
const vm = require("vm");

/* What a search check reads of an answer (tests/browser/search_box.py): whether
   it lists none, one or more pages (the meta line), and of each of the first
   `listed` pages the section that scores highest (the page's result: its
   location) and whether its title marks it as the other language. Not the
   sections' texts, nor the pages listed after those: a check reads neither, and
   an edit to any section's text changes them. Not the scores: any edit anywhere
   moves every BM25 score a little. */
function shown(items, listed) {
  return {
    count: Math.min(items.length, 2),
    items: items.slice(0, listed).map(sections => {
      const best = sections.reduce((top, section) =>
        section.score > top.score ? section : top
      );
      return {
        location: best.location,
        other: best.title.includes('class="search-result-language"'),
      };
    }),
  };
}

function main() {
  const request = JSON.parse(fs.readFileSync(0, "utf8"));
  const { worker, index, queries, shown: asShown } = request;
  const context = { module: { exports: {} }, console };
  vm.runInNewContext(worker, context, { filename: "search-worker.js" });
  /* The <mark>ing of the query's words is left out (half the time): it is a
     function of a section's text and its `terms`, both in the answer, and of
     the worker's code, which the checks read too. */
  context.marker = () => html => html;
  const { Search } = context.module.exports;
  const searches = new Map();
  const answers = queries.map(([language, query, listed]) => {
    if (!searches.has(language)) searches.set(language, new Search(index, language));
    const { items } = searches.get(language).search(query);
    if (asShown) return shown(items, listed);
    const text = JSON.stringify(shown(items, listed));
    return crypto.createHash("sha256").update(text).digest("hex");
  });
  process.stdout.write(JSON.stringify(answers));
}

main();
