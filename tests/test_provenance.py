"""Provenance verified, not assumed (issue 26): a corpus text's bytes against its record.

The edited-official scenario: in a copy of the corpus, one figure of the Spanish official
text is changed with an editor (5000 -> 6000 scholarships); every output made from it
must call it modified, never official, and carry the hash of the bytes it used.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from conftest import PLAN, run_cli

ES = f"{PLAN}/es.official.txt"
RECORDED = "1c79d257a96dff33573e435656fb64ced558772ef04fd647eeaa5c54418db581"
needs_apertium = pytest.mark.skipif(shutil.which("apertium-wblank-mode") is None,
                                    reason="apertium is not installed")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def edited(corpus_copy, tmp_path):
    """The corpus copy with 5000 -> 6000 in the official text; (corpus, env, new hash)."""
    path = corpus_copy / ES
    text = path.read_text(encoding="utf-8")
    assert text.count("5000") == 1
    path.write_text(text.replace("5000", "6000"), encoding="utf-8")
    env = {"CELAC_I18N_CORPUS": str(corpus_copy),
           "CELAC_I18N_CACHE": str(tmp_path / "cache.sqlite")}
    return corpus_copy, env, sha(path)


def one_error_line(r) -> str:
    lines = [x for x in r.stderr.splitlines() if x.startswith("celac-i18n: error:")]
    assert r.returncode == 2 and len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    return lines[0]


def edit_manifest(corpus: Path, old: str, new: str) -> None:
    m = corpus / "manifest.toml"
    text = m.read_text(encoding="utf-8")
    assert old in text
    m.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- the shipped corpus --------------------------------------------------------------------

def test_shipped_corpus_verifies_clean():
    r = run_cli("corpus", "verify", "--rehash")
    assert r.returncode == 0 and r.stdout == "", r.stdout + r.stderr
    assert "all verified" in r.stderr
    report = json.loads(run_cli("corpus", "verify", "--json").stdout)
    assert report["ok"] and report["shipped"] == 6 and report["problems"] == []


def test_shipped_machine_renderings_record_their_source_hash():
    r = run_cli("corpus", "show", f"{PLAN}:en:apertium", "--lineage", "--format", "json")
    steps = json.loads(r.stdout)["lineage"]
    assert [s["ref"] for s in steps] == [f"{PLAN}:en:apertium", f"{PLAN}:es:official"]
    assert steps[0]["made_by"].startswith("apertium 3.8")
    assert steps[0]["from_sha256"] == RECORDED and steps[0]["status"] == "verified"
    assert steps[1]["status"] == "verified" and "from" not in steps[1]
    # a reference rendering names its source by file: followed too
    r = run_cli("corpus", "show", f"{PLAN}:zh:reference", "--lineage", "--format", "table")
    assert "made from 2022-2024:es:official" in r.stdout and "[verified]" in r.stdout


# -- the edited official text --------------------------------------------------------------

def test_edited_official_corpus_verify_names_it(edited):
    corpus, env, new = edited
    r = run_cli("corpus", "verify", env=env)
    assert r.returncode == 1
    assert r.stdout.splitlines() == [
        f"{PLAN}:es:official: modified: its sha256 {new[:12]}… is not the "
        f"{RECORDED[:12]}… the manifest records for {PLAN}:es:official ({corpus / ES})"]
    report = json.loads(run_cli("corpus", "verify", "--json", env=env).stdout)
    assert not report["ok"] and [p["problem"] for p in report["problems"]] == ["modified"]
    listed = [json.loads(x) for x in run_cli("corpus", "list", "--format", "jsonl",
                                             env=env).stdout.splitlines()]
    assert {r["ref"]: r["status"] for r in listed if r["shipped"]}[f"{PLAN}:es:official"] \
        == "modified"
    assert {r["status"] for r in listed if r["shipped"]} == {"modified", "verified"}


def test_edited_official_pdf_is_not_called_official(edited, tmp_path):
    corpus, env, new = edited
    out = tmp_path / "e.pdf"
    r = run_cli("pdf", f"{PLAN}:es", f"{PLAN}:en", "-o", str(out), env=env)
    assert r.returncode == 0, r.stderr
    assert f"warning: {corpus / ES}: its sha256" in r.stderr and "'modified'" in r.stderr
    page = subprocess.run(["pdftotext", "-l", "1", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = " ".join(page.split())
    assert "Official text as adopted" not in flat
    assert "Modified text: not the bytes recorded as 2022-2024:es:official" in flat
    assert new in flat.replace(" ", "")              # the hash of the bytes typeset
    assert f"SHA-256 {RECORDED}" not in flat
    # strict: refused, one line, nothing written
    out2 = tmp_path / "strict.pdf"
    r = run_cli("--strict-provenance", "pdf", f"{PLAN}:es", f"{PLAN}:en", "-o", str(out2),
                env=env)
    assert "es.official.txt: its sha256" in one_error_line(r) and not out2.exists()


def test_edited_official_diff_says_modified_with_the_bytes_hash(edited):
    corpus, env, new = edited
    r = run_cli("diff", f"{PLAN}:es", f"{ROOT_ES}@es", "--format", "json", env=env)
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    old = d["summary"]["old"]
    assert old["kind"] == "modified" and "official" not in old["source"]
    assert d["signature"].endswith(f"old:{new[:12]}|new:{RECORDED[:12]}")
    assert d["summary"]["counts"]["modified"] == 1        # the 5000 -> 6000 clause


def test_edited_official_review_init_labels_it_modified(edited, tmp_path, monkeypatch):
    corpus, env, new = edited
    ws = tmp_path / "ws.sqlite"
    r = run_cli("review", "init", str(ws), f"{PLAN}:es", f"{PLAN}:en", "--embed-model",
                "none", "--no-versions", env=env)
    assert r.returncode == 0 and "es.official.txt: its sha256" in r.stderr, r.stderr
    from celac_i18n.review.api import Api
    from celac_i18n.review.store import Store

    page = Api(Store(ws), "tester").workspace()      # what the review page shows
    assert page["kinds"] == {"es": "modified", "en": "reference"}
    xlf = tmp_path / "out.xlf"
    assert run_cli("review", "export", str(ws), "-o", str(xlf), env=env).returncode == 0
    assert "modified, not an official text" in xlf.read_text(encoding="utf-8")


def test_edited_official_batch_stops_before_building(edited, tmp_path):
    corpus, env, new = edited
    jobs = tmp_path / "jobs.toml"
    body = (f'output_dir = "out"\n[[output]]\npath = "es-en.tmx"\ndo = "align"\n'
            f'inputs = ["{PLAN}:es", "{PLAN}:en"]\n')
    jobs.write_text(body, encoding="utf-8")
    out = tmp_path / "out" / "es-en.tmx"
    r = run_cli("batch", str(jobs), env=env)
    assert r.returncode == 1 and not out.exists()
    assert "not built: 2022-2024/es.official.txt: its sha256" in r.stderr
    # lenient: built, labelled modified, with the hash used; the state records it
    jobs.write_text('provenance = "lenient"\n' + body, encoding="utf-8")
    r = run_cli("batch", str(jobs), env=env)
    assert r.returncode == 0 and "built labelled 'modified'" in r.stderr, r.stderr
    tmx = out.read_text(encoding="utf-8")
    assert '<prop type="x-kind-es">modified</prop>' in tmx
    assert f'<prop type="x-sha256-es">{new}</prop>' in tmx
    state = json.loads((out.parent / ".es-en.tmx.celac-state.json").read_text())
    assert state["inputs"][0]["verified"][0] == {
        "ref": f"{PLAN}:es:official", "sha256": new, "recorded": RECORDED,
        "status": "modified", "why": state["inputs"][0]["verified"][0]["why"]}
    # the original bytes back: verified again, and rebuilt (its key changed)
    shutil.copy(ROOT_ES, corpus / ES)
    r = run_cli("batch", str(jobs), env=env)
    assert r.returncode == 0 and "built  es-en.tmx" in r.stderr, r.stderr
    assert '<prop type="x-kind-es">official</prop>' in out.read_text(encoding="utf-8")
    # a bad setting is one line
    jobs.write_text('provenance = "loose"\n' + body, encoding="utf-8")
    assert "provenance = 'loose'" in one_error_line(run_cli("batch", str(jobs), env=env))


# -- stale renderings and lineage --------------------------------------------------------

@needs_apertium
def test_a_new_source_makes_machine_renderings_stale_until_remade(corpus_copy, tmp_path):
    env = {"CELAC_I18N_CORPUS": str(corpus_copy),
           "CELAC_I18N_CACHE": str(tmp_path / "cache.sqlite")}
    changed = tmp_path / "es.txt"
    changed.write_text(Path(ROOT_ES).read_text(encoding="utf-8").replace("5000", "6000"),
                       encoding="utf-8")
    r = run_cli("corpus", "import", str(changed), "--plan", PLAN, "--lang", "es", "--kind",
                "official", "--force", env=env)
    assert r.returncode == 0, r.stderr
    new = sha(corpus_copy / ES)
    r = run_cli("corpus", "verify", env=env)
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert len(lines) == 2 and all(": stale: made from 2022-2024:es:official sha256 "
                                   f"{RECORDED[:12]}, which is now {new[:12]}" in x
                                   for x in lines)
    assert lines[0].startswith(f"{PLAN}:en:apertium") and lines[1].startswith(f"{PLAN}:pt:")
    r = run_cli("corpus", "show", f"{PLAN}:en:apertium", "--format", "table", env=env)
    assert "(stale)" in r.stderr and "[stale]" in r.stdout
    # re-made from the current text: it records the new source hash, and verifies
    r = run_cli("translate", f"{PLAN}:es", "--to", "en", "--engine", "apertium", "--save",
                env=env)
    assert r.returncode == 0, r.stderr
    lines = run_cli("corpus", "verify", env=env).stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{PLAN}:pt:apertium: stale")
    m = tomllib.loads((corpus_copy / "manifest.toml").read_text(encoding="utf-8"))
    en = [d for d in m["document"] if d.get("engine") == "apertium" and d["lang"] == "en"]
    assert en[0]["source_sha256"] == new


def test_import_records_where_when_and_what_from(corpus_copy, tmp_path):
    env = {"CELAC_I18N_CORPUS": str(corpus_copy)}
    src = tmp_path / "es.deepl.txt"
    src.write_text((corpus_copy / PLAN / "es.official.txt").read_text(encoding="utf-8"),
                   encoding="utf-8")
    r = run_cli("corpus", "import", str(src), "--plan", PLAN, "--lang", "es", "--kind",
                "machine", "--engine", "deepl", "--engine-version", "2026-11",
                "--from", f"{PLAN}:en", "--force", env=env)
    assert r.returncode == 0, r.stderr
    steps = json.loads(run_cli("corpus", "show", f"{PLAN}:es:deepl", "--lineage", "--format",
                               "json", env=env).stdout)["lineage"]
    assert steps[0]["made_by"] == "deepl 2026-11"
    assert steps[0]["from"] == f"{PLAN}:en:reference"
    assert steps[0]["from_sha256"] == sha(corpus_copy / PLAN / "en.reference.txt")
    assert steps[0]["imported"]["from"] == str(src)
    assert steps[0]["imported"]["date"] and steps[0]["imported"]["time"].endswith("Z")
    assert [s["ref"] for s in steps[1:]] == [f"{PLAN}:en:reference", f"{PLAN}:es:official"]
    assert run_cli("corpus", "verify", env=env).returncode == 0
    # without --from, the import says its lineage is unknown, and verify reports it
    r = run_cli("corpus", "import", str(src), "--plan", PLAN, "--lang", "es", "--kind",
                "machine", "--engine", "other", env=env)
    assert "no --from" in r.stderr
    r = run_cli("corpus", "verify", env=env)
    assert r.returncode == 1 and "es:other: inconsistent: kind machine, but no " \
        "'engine_version'" in r.stdout


# -- bad input: one clear line each ------------------------------------------------------

def test_manifest_entry_outside_the_corpus(corpus_copy, tmp_path):
    (tmp_path / "outside.txt").write_text("x", encoding="utf-8")
    edit_manifest(corpus_copy, 'file = "2022-2024/zh.reference.txt"',
                  'file = "../outside.txt"')
    env = {"CELAC_I18N_CORPUS": str(corpus_copy)}
    assert "lies outside the corpus" in one_error_line(
        run_cli("corpus", "show", f"{PLAN}:zh", env=env))
    r = run_cli("corpus", "verify", env=env)
    assert r.returncode == 1 and r.stdout.startswith(f"{PLAN}:zh:reference: outside:")


def test_missing_file_duplicate_ref_malformed_hash(corpus_copy):
    env = {"CELAC_I18N_CORPUS": str(corpus_copy)}
    (corpus_copy / PLAN / "pt.reference.txt").unlink()
    assert "pt.reference.txt: missing" in one_error_line(
        run_cli("corpus", "show", f"{PLAN}:pt", env=env))
    edit_manifest(corpus_copy, 'sha256 = "ecef3ed31cdfcdebbfaf5baf459e3b5e08e6e23a00af506d690b11b6399b51e4"',
                  'sha256 = "ECEF-not-a-hash"')
    m = corpus_copy / "manifest.toml"
    text = m.read_text(encoding="utf-8")
    zh = text[text.index('[[document]]\nplan = "2022-2024"\nlang = "zh"'):]
    m.write_text(text + "\n" + zh[:zh.index("\n[[document]]")] + "\n", encoding="utf-8")
    assert "is listed 2 times" in one_error_line(
        run_cli("corpus", "show", f"{PLAN}:zh", env=env))
    r = run_cli("corpus", "show", f"{PLAN}:en", "--format", "table", env=env)  # not as reference
    assert r.returncode == 0 and "kind=modified" in r.stdout and "is malformed" in r.stderr
    r = run_cli("corpus", "verify", env=env)
    kinds = [line.split(": ")[1] for line in r.stdout.splitlines()]
    assert r.returncode == 1 and sorted(kinds) == ["duplicate", "malformed-hash", "missing"]
    edit_manifest(corpus_copy, 'sha256 = "ECEF-not-a-hash"', "sha256 = 5")
    assert "'sha256' must be a string" in one_error_line(run_cli("corpus", "verify", env=env))


def test_read_only_corpus(corpus_copy, monkeypatch):
    """Reading and verifying never write into corpora/ (the hash cache lives with the
    translation cache); an import into a read-only corpus is one line."""
    import builtins
    import errno

    before = sorted(p.name for p in corpus_copy.rglob("*"))
    env = {"CELAC_I18N_CORPUS": str(corpus_copy)}
    assert run_cli("corpus", "verify", env=env).returncode == 0
    assert run_cli("corpus", "show", f"{PLAN}:es", env=env).returncode == 0
    assert sorted(p.name for p in corpus_copy.rglob("*")) == before

    from celac_i18n.corpus.importer import import_file
    from celac_i18n.corpus.manifest import Manifest
    from celac_i18n.errors import UserError

    real_open = builtins.open

    def read_only(file, mode="r", *a, **k):
        if str(file).startswith(str(corpus_copy)) and any(c in mode for c in "wax+"):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(file))
        return real_open(file, mode, *a, **k)

    monkeypatch.setattr(builtins, "open", read_only)
    with pytest.raises(UserError, match="cannot lock the manifest .Read-only file system"):
        import_file(str(corpus_copy / ES), plan=PLAN, lang="es", kind="official", force=True,
                    manifest=Manifest(corpus_copy))


# -- the hash cache ------------------------------------------------------------------------

def test_hash_cache_sees_an_edit_that_keeps_size_and_mtime(tmp_path):
    from celac_i18n.corpus.verify import HashCache

    f = tmp_path / "t.txt"
    f.write_text("5000 becas\n", encoding="utf-8")
    cache = HashCache(tmp_path / "cache.sqlite")
    first = cache.sha256(f)
    assert cache.sha256(f) == first == sha(f)
    st = f.stat()
    f.write_text("6000 becas\n", encoding="utf-8")        # same size
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))      # mtime put back (touch -r)
    assert cache.sha256(f) == sha(f) != first
    cache.close()
    assert HashCache(None).sha256(f) == sha(f)             # no cache: hashed


ROOT_ES = str(Path(__file__).resolve().parents[1] / "corpora" / ES)
