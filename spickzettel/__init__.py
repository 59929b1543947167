"""The engine of Keras-Spickzettel: what makes every page's code verified.

One folder per stage of the flow (README.md, "How it fits together"):

    core/       shared by every stage: paths and languages, mkdocs.yml, the
                Markdown sources (pages, fences, includes), download names, the
                output layout (which files a unit writes) and the record
    verify/     `make verify`: the pytest plugin (Sybil) that executes snippets/
                and docs/ and the exercise notebooks, writes figures, notebooks
                and the record; the verification cache; `make refresh`
    drawing/    the diagrams the snippets draw (imported by the snippets)
    build/      `mkdocs build`: what the hooks in overrides/hooks/ do (record
                check and stamp, topic-page notebooks, formulas, copy text)
    downloads/  after the build: the cheat-sheet PDFs and the offline zip
    tools/      maintainer commands: snippet lint (`make lint`), `make topic`

The verification cache hashes verify/, core/ and drawing/ (what the verify run
executes); tests/test_cache.py proves the run imports nothing else of the package.
"""
