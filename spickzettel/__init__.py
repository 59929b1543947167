"""The engine of Keras-Spickzettel: what makes every page's code verified.

The flow runs one way, and each step has its module here:

    snippets/<topic>.md, snippets/exercises/*.py      code + expected output, once
      -> pytest + Sybil (pytest_plugin, fences, document_env, datasets,
         notebooks, notebook_items) execute them; cache skips unchanged files
      -> record: .verified/record.json, what ran, with which versions
      -> mkdocs build: overrides/hooks/ check the record (record.problems) and
         stamp each page
      -> pdf: the built cheat sheet of each language printed with Chromium to
         site/keras-spickzettel-de.pdf, site/en/keras-cheat-sheet-en.pdf
      -> site/, read by tests/ the way a reader does

Tools for maintainers: update_outputs (make refresh), snippet_lint (make lint,
make format), scaffold (make topic). Paths and languages: paths.
"""
