"""The Python API: ``from celac_i18n import align_documents, ...`` gives each stage's
real function (signature and docstring, not a wrapper), while ``import celac_i18n``
stays cheap."""

from __future__ import annotations

import importlib
import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import celac_i18n

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("sacrebleu", "lingua", "lxml", "torch", "typst", "transformers", "numpy", "pypdf",
         "docx", "celac_i18n.align.clause")
FUNCTIONS = sorted(n for n in celac_i18n.__all__
                   if n not in ("Context", "Document", "UserError", "__version__"))


def _imported_after(code: str) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys, json\n"
                          "print(json.dumps(sorted(sys.modules)))"],
                         capture_output=True, text=True, env=env, check=True).stdout
    return json.loads(out.splitlines()[-1])


def test_import_celac_i18n_imports_no_stage_and_no_heavy_library():
    mods = _imported_after("import celac_i18n; dir(celac_i18n)")
    assert not [m for m in HEAVY if m in mods]
    # only the package, its version and the lazy-export helper
    assert sorted(m for m in mods if m.startswith("celac_i18n")) == \
        ["celac_i18n", "celac_i18n.lazy", "celac_i18n.version"]


def test_stage_packages_import_lazily():
    for stage in ("align", "translate", "typeset"):
        mods = _imported_after(f"import celac_i18n.{stage}")
        assert not [m for m in HEAVY if m in mods], stage


def test_one_export_imports_its_stage_only():
    mods = _imported_after("from celac_i18n import diff_documents")
    assert "celac_i18n.diff.changes" in mods
    assert not [m for m in ("celac_i18n.align.clause", "sacrebleu", "typst", "torch") if m in mods]


@pytest.mark.parametrize("name", FUNCTIONS)
def test_exports_are_the_real_functions_with_signatures_and_docstrings(name):
    obj = getattr(celac_i18n, name)
    module, _, attr = celac_i18n._EXPORTS[name].partition(":")
    assert obj is getattr(importlib.import_module(module), attr)
    params = inspect.signature(obj).parameters.values()
    assert params and not all(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params), \
        f"{name}{inspect.signature(obj)}: a wrapper's signature"
    doc = inspect.getdoc(obj) or ""
    assert "Returns" in doc or "Yields" in doc, f"{name}: the docstring says nothing of the result"
    # every named parameter is explained
    for p in params:
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            assert p.name in doc, f"{name}: parameter {p.name} is not documented"


def test_names_list_and_errors():
    assert set(celac_i18n.__all__) <= set(dir(celac_i18n))
    assert set(celac_i18n._EXPORTS) <= set(celac_i18n.__all__)
    with pytest.raises(AttributeError, match="no attribute 'nonesuch'"):
        celac_i18n.nonesuch  # noqa: B018
    from celac_i18n.align import align_documents
    assert align_documents is celac_i18n.align_documents
    typeset = importlib.import_module("celac_i18n.typeset")
    assert "(*args, **kwargs)" not in str(inspect.signature(typeset.render_pdf))


def test_the_readme_example_runs():
    from celac_i18n import align_documents, load, score_documents

    es, en = load("2022-2024:es"), load("2022-2024:en")
    alignment = align_documents([es, en])
    assert len(alignment.beads) > 100 and alignment.langs == ["es", "en"]
    report = score_documents(load("2022-2024:en:apertium"), en)
    assert [s.metric for s in report.corpus] == ["bleu", "chrf", "ter"]
