"""OmegaT (Debian package `omegat`, 3.6) reads our TMX and applies it.

OmegaT is a large Java install that the project's setup does not make, so this test
runs only where `omegat` is on PATH (`apt-get install omegat`); it was run on the
development machine with OmegaT 3.6.0.10 for es→en and es→zh-CN.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import run_cli

pytestmark = pytest.mark.skipif(shutil.which("omegat") is None,
                                reason="OmegaT is not installed (apt-get install omegat)")

PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat><project version="1.0">
<source_dir>source</source_dir><source_dir_excludes/><target_dir>target</target_dir>
<tm_dir>tm</tm_dir><glossary_dir>glossary</glossary_dir>
<glossary_file>glossary/glossary.txt</glossary_file><dictionary_dir>dictionary</dictionary_dir>
<source_lang>es</source_lang><target_lang>{target}</target_lang>
<source_tok>org.omegat.tokenizer.LuceneSpanishTokenizer</source_tok>
<target_tok>org.omegat.tokenizer.{tok}</target_tok>
<sentence_seg>false</sentence_seg><support_default_translations>true</support_default_translations>
<remove_tags>false</remove_tags></project></omegat>
"""


@pytest.mark.parametrize("lang,code,tok", [
    ("en", "en", "LuceneEnglishTokenizer"),
    ("zh", "zh-CN", "LuceneSmartChineseTokenizer"),
])
def test_omegat_console_translate_applies_our_tmx(tmp_path, lang, code, tok):
    for d in ("source", "tm/auto", "target", "glossary", "dictionary", "omegat"):
        (tmp_path / d).mkdir(parents=True)
    (tmp_path / "omegat.project").write_text(PROJECT.format(target=code, tok=tok))
    r = run_cli("align", "2022-2024:es", f"2022-2024:{lang}", "-o",
                str(tmp_path / "tm" / "auto" / f"es-{lang}.tmx"))
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in run_cli("clauses", "2022-2024:es", "--format",
                                           "jsonl").stdout.splitlines()][:3]
    want = [json.loads(x) for x in run_cli("clauses", f"2022-2024:{lang}", "--format",
                                           "jsonl").stdout.splitlines()][:3]
    (tmp_path / "source" / "plan.txt").write_text("\n\n".join(r["text"] for r in rows) + "\n",
                                                  encoding="utf-8")
    subprocess.run(["omegat", "--mode=console-translate", "--no-team", str(tmp_path)],
                   capture_output=True, timeout=300, check=True, cwd=tmp_path)
    out = (tmp_path / "target" / "plan.txt").read_text(encoding="utf-8")
    assert [p.strip() for p in out.split("\n\n") if p.strip()] == [w["text"] for w in want]
