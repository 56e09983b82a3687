"""The review workspace: translators accept, reject and edit beads, dismiss QA findings
and comment, in one SQLite file; decisions flow back into align, qa, the corpus and
CAT tools (TMX, XLIFF 1.2/2.0).

``store`` holds the workspace, ``build`` makes one from documents, ``api`` is the JSON
API the page uses, ``server`` serves it on loopback, ``exchange`` writes and reads TMX,
XLIFF and JSONL, ``flowback`` gives other commands what the reviewers decided.
"""
