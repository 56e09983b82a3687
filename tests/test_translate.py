"""Machine renderings: apertium on the real plan, the cache, layout round trips, the CLI.

Every engine's test class inherits ``EngineContract`` (test_translate_neural.py adds
hf and ct2 on a tiny model built offline).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
import tomllib

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from celac_i18n.errors import UserError
from celac_i18n.parse import parse
from celac_i18n.parse.parser import normalize_text
from celac_i18n.translate.cache import TranslationCache
from celac_i18n.translate.document import translate_document
from celac_i18n.translate.layout import document_text

from conftest import PLAN, run_cli

needs_apertium = pytest.mark.skipif(shutil.which("apertium-wblank-mode") is None,
                                    reason="apertium is not installed")
# An unknown-word mark the source text did not have: *word, #word, @word.
MARK = re.compile(r"(?<![\w*#@])[*#@](?=\w)")


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Never touch the user's cache: every test gets its own."""
    monkeypatch.setenv("CELAC_I18N_CACHE", str(tmp_path / "cache" / "translations.sqlite"))
    monkeypatch.setenv("CELAC_I18N_CT2_DIR", str(tmp_path / "ct2"))
    return tmp_path / "cache" / "translations.sqlite"


class EngineContract:
    """What every engine promises. Subclasses provide ``engine`` and ``pair`` fixtures."""

    samples = ["Fortalecer la cooperación entre las Partes.", "Comercio e Inversión",
               "Finanzas", "Celebrar el Cuarto Foro en 2024."]

    def test_one_output_per_input_in_order(self, engine, pair):
        out = engine.translate(self.samples, *pair)
        assert len(out) == len(self.samples)
        back = engine.translate(list(reversed(self.samples)), *pair)
        assert back == list(reversed(out))

    def test_non_empty_in_non_empty_out_and_empty_stays_empty(self, engine, pair):
        calls = engine.calls
        out = engine.translate(["", "  ", self.samples[1]], *pair)
        assert out[:2] == ["", ""] and out[2].strip()
        assert engine.calls - calls <= 1

    def test_deterministic(self, engine, pair):
        assert engine.translate(self.samples, *pair) == engine.translate(self.samples, *pair)

    def test_duplicates_translated_once(self, engine, pair):
        calls = engine.calls
        out = engine.translate([self.samples[2]] * 3, *pair)
        assert len(set(out)) == 1 and engine.calls - calls == 1

    def test_cache_serves_second_run(self, engine, pair, tmp_path):
        with TranslationCache(tmp_path / "c.sqlite") as cache:
            first = engine.translate(self.samples, *pair, cache=cache)
            calls = engine.calls
            second = engine.translate(self.samples, *pair, cache=cache)
            assert second == first and engine.calls == calls
            assert cache.hits == len(self.samples)

    def test_signature_names_engine_version_and_package(self, engine, pair):
        from celac_i18n import __version__

        sig = engine.signature(*pair)
        assert sig.startswith(f"{engine.name}:{engine.version}|")
        assert f"celac-i18n:{__version__}" in sig and f"src:{pair[0]}" in sig
        assert engine.version and engine.version != "unknown"

    def test_same_language_refused(self, engine, pair):
        with pytest.raises(UserError):
            engine.translate(["hola"], pair[0], pair[0])


# -- apertium -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def apertium():
    from celac_i18n.translate.apertium import ApertiumEngine

    with ApertiumEngine() as e:
        yield e


@needs_apertium
class TestApertiumContract(EngineContract):
    @pytest.fixture(params=[("es", "en"), ("es", "pt")], ids=["es-en", "es-pt"])
    def pair(self, request):
        return request.param

    @pytest.fixture
    def engine(self, apertium):
        return apertium


@needs_apertium
def test_apertium_pairs_and_brazilian_mode(apertium):
    assert {("es", "en"), ("es", "pt"), ("en", "es"), ("pt", "es")} <= apertium.pairs()
    assert apertium.mode_name("es", "pt") == "es-pt_BR"
    assert "apertium-eng-spa:" in apertium.signature("es", "en")


@needs_apertium
def test_apertium_escapes_stream_characters_and_strips_marks(apertium):
    # Characters that are syntax in Apertium's stream format come back as written.
    out = apertium.translate(["Ver el artículo [3] y la nota 1/2 {x} <b> ^a$ \\z @y xyzzyq."],
                             "es", "en")[0]
    for piece in ("[3]", "1/2", "{x}", "<b>", "\\z"):
        assert piece in out
    assert "xyzzyq" in out and "*xyzzyq" not in out


@needs_apertium
def test_apertium_round_trip_and_per_segment_mode_agree():
    from celac_i18n.translate.apertium import ApertiumEngine

    text = ["Fortalecer la cooperación entre las Partes."]
    batch = [*text, "Finanzas", "II. Cooperación Económica y Pragmática", "Salud Pública"]
    with ApertiumEngine() as fast, ApertiumEngine(per_segment=True) as slow:
        # A streamed batch through the long-lived pipeline == `apertium` run per segment.
        assert fast.translate(batch, "es", "en") == slow.translate(batch, "es", "en")
        en = fast.translate(text, "es", "en")
        assert "cooperation" in en[0].lower()
        assert "cooperación" in fast.translate(en, "en", "es")[0].lower()
        pt = fast.translate(text, "es", "pt")
        assert "cooperação" in pt[0].lower()
        assert fast.translate(pt, "pt", "es")[0].strip()


@needs_apertium
def test_apertium_no_chinese_says_what_to_do(apertium):
    with pytest.raises(UserError, match="--engine hf --model"):
        apertium.translate(["hola"], "es", "zh")


@needs_apertium
@pytest.mark.parametrize("tgt", ["en", "pt"])
def test_whole_plan_keeps_ids_numbers_and_has_no_marks(es_doc, apertium, tgt, private_cache):
    with TranslationCache(private_cache) as cache:
        doc = translate_document(es_doc, tgt, apertium, cache=cache)
    assert doc.lang == tgt
    assert [u.id for u in doc.units] == [u.id for u in es_doc.units]
    assert [u.number for u in doc.units] == [u.number for u in es_doc.units]
    assert len(doc.clauses()) == 112
    for src, out in zip(es_doc.units, doc.units):
        assert out.text.strip(), src.id
        assert not MARK.findall(out.text) or MARK.findall(src.text), (src.id, out.text)
        assert bool(out.heading) == bool(src.heading)
    # Numbers inside clauses survive translation.
    assert "1373" in doc["I.3"].text and "1540 (2004)" in doc["I.5"].text
    prov = doc.provenance
    assert prov.kind == "machine" and "not an official text" in prov.notes
    assert prov.extra["engine"] == "apertium" and prov.extra["translated_from"].endswith(
        "es:official")
    # Laid out as text, the rendering parses back to the same ids.
    again = parse(document_text(doc), tgt)
    assert [u.id for u in again.units] == [u.id for u in doc.units]
    assert [u.text for u in again.units] == [u.text for u in doc.units]


# -- layout ---------------------------------------------------------------------------

@pytest.mark.parametrize("ref", ["es", "en:reference", "zh:reference", "pt:reference"])
def test_layout_parses_back_to_the_same_document(ref):
    from celac_i18n.corpus.refs import load

    doc = load(f"{PLAN}:{ref}")
    again = parse(document_text(doc), doc.lang)
    assert [(u.id, u.kind, u.number, u.text) for u in again.units] == \
        [(u.id, u.kind, u.number, u.text) for u in doc.units]
    assert not again.warnings


# Clause text as an engine might write it. It starts with a letter: the parser reads a
# clause line "3. 1: ..." as marker "3. 1" (reported to the lead), and engines keep the
# source's first word class, which in the shipped plans is always a letter.
_LINE = st.tuples(st.characters(categories=("Lu", "Ll", "Lo")), st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Co", "Cn")), max_size=80)).map(
    lambda t: " ".join((t[0] + t[1]).split()))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINE, min_size=3, max_size=3))
def test_any_clause_text_survives_layout(es_doc, texts):
    """Whatever an engine writes inside a clause, the ids come back from the text."""
    from dataclasses import replace

    clauses = {u.id for u in es_doc.clauses()[:3]}
    it = iter(texts)
    units = [replace(u, text=next(it)) if u.id in clauses else u for u in es_doc.units]
    doc = type(es_doc)(es_doc.lang, units, es_doc.provenance)
    again = parse(document_text(doc), "es")
    assert [u.id for u in again.units] == [u.id for u in doc.units]
    norm = {u.id: " ".join(normalize_text(u.text).split()) for u in doc.units}
    assert all(u.text == norm[u.id] for u in again.units if u.id in clauses)


# -- cache ------------------------------------------------------------------------------

def test_cache_hit_miss_and_key_parts(tmp_path):
    key = ("apertium", "spa-eng", "3.8", "es", "en")
    with TranslationCache(tmp_path / "c.sqlite") as c:
        assert c.get_many(key, ["hola"]) == {} and c.misses == 1
        c.put_many(key, [("hola", "hello")])
        assert c.get_many(key, ["hola", "adiós"]) == {"hola": "hello"}
        for other in (("apertium", "spa-eng", "3.9", "es", "en"),    # new engine version
                      ("hf", "spa-eng", "3.8", "es", "en"),           # other engine
                      ("apertium", "spa-eng", "3.8", "es", "pt")):    # other target
            assert c.get_many(other, ["hola"]) == {}
        assert c._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with TranslationCache(tmp_path / "c.sqlite") as c:     # persists across processes' opens
        assert c.get_many(key, ["hola"]) == {"hola": "hello"}


def test_cache_location_from_env(monkeypatch, tmp_path):
    # the CLI reads the environment into its context; nothing below it does
    from celac_i18n.cli.settings import from_environment

    monkeypatch.setenv("CELAC_I18N_CACHE", "off")
    ctx = from_environment()
    assert ctx.cache_path is None and ctx.open_cache() is None
    monkeypatch.setenv("CELAC_I18N_CACHE", str(tmp_path / "c.sqlite"))
    assert from_environment().cache_path == tmp_path / "c.sqlite"
    monkeypatch.delenv("CELAC_I18N_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert from_environment().cache_path == tmp_path / "celac-i18n" / "translations.sqlite"


def test_cache_two_concurrent_writers(tmp_path):
    db = tmp_path / "c.sqlite"
    script = textwrap.dedent(f"""
        import sys
        from celac_i18n.translate.cache import TranslationCache
        me = int(sys.argv[1])
        key = ("e", "m", "v", "es", "en")
        with TranslationCache({str(db)!r}) as c:
            for i in range(300):
                # half the segments are shared by both writers, half are each one's own
                text = f"shared {{i}}" if i % 2 else f"own {{me}} {{i}}"
                c.put_many(key, [(text, text.upper())])
                assert c.get_many(key, [text]) == {{text: text.upper()}}
    """)
    procs = [subprocess.Popen([sys.executable, "-c", script, str(n)], stderr=subprocess.PIPE,
                              text=True) for n in (1, 2)]
    errs = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errs
    with TranslationCache(db) as c:
        assert c.count() == 150 + 2 * 150
        key = ("e", "m", "v", "es", "en")
        assert c.get_many(key, ["shared 1", "own 2 0"]) == {"shared 1": "SHARED 1",
                                                              "own 2 0": "OWN 2 0"}


# -- the command --------------------------------------------------------------------------

@needs_apertium
def test_cli_translate_second_run_from_cache():
    first = run_cli("translate", f"{PLAN}:es", "--to", "en", "--engine", "apertium")
    assert first.returncode == 0, first.stderr
    doc = parse(first.stdout, "en")
    assert len(doc.clauses()) == 112 and "Traceback" not in first.stderr
    assert "signature: apertium:" in first.stderr
    second = run_cli("translate", f"{PLAN}:es", "--to", "en", "--engine", "apertium")
    assert second.stdout == first.stdout
    assert "(138 of 138 segments from the cache)" in second.stderr


@needs_apertium
def test_cli_output_file_and_jsonl(tmp_path):
    out = tmp_path / "pt.txt"
    r = run_cli("translate", "tests/fixtures/translate/mini.es.txt@es", "--to", "pt",
                "-o", str(out))
    assert r.returncode == 0 and r.stdout == "", r.stderr
    assert [u.id for u in parse(out.read_text(encoding="utf-8"), "pt").units] == [
        "title", "preamble.1", "I", "I.1", "I.2", "II", "II.1", "II.1.1", "II.2", "II.2.1"]
    r = run_cli("translate", "tests/fixtures/translate/mini.es.txt@es", "--to", "en",
                "--format", "jsonl")
    import json

    recs = [json.loads(line) for line in r.stdout.splitlines()]
    assert recs[5]["id"] == "II" and recs[5]["number"] == "II." and recs[5]["lang"] == "en"



@needs_apertium
@pytest.mark.parametrize("fmt", ["jsonl", "json", "tsv"])
def test_cli_records_say_machine_and_carry_the_signature(fmt):
    import csv
    import io
    import json

    r = run_cli("translate", "tests/fixtures/translate/mini.es.txt@es", "--to", "en",
                "--format", fmt)
    assert r.returncode == 0, r.stderr
    if fmt == "jsonl":
        recs = [json.loads(line) for line in r.stdout.splitlines()]
    elif fmt == "json":
        recs = json.loads(r.stdout)
    else:
        recs = list(csv.DictReader(io.StringIO(r.stdout), delimiter="\t"))
    sig = re.search(r"signature: (\S+)", r.stderr)[1]
    assert len(recs) == 10 and recs[5]["kind"] == "chapter"
    assert all(rec["provenance"] == "machine" and rec["signature"] == sig for rec in recs)
    assert sig.startswith("apertium:")


def test_cli_chinese_without_model_is_a_clear_error():
    r = run_cli("translate", f"{PLAN}:es", "--to", "zh")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "model" in r.stderr and "huggingface-cli download" in r.stderr
    r = run_cli("translate", f"{PLAN}:es", "--to", "zh", "--engine", "apertium")
    assert r.returncode == 2 and "--engine hf --model" in r.stderr


def test_cli_bad_options_exit_2():
    assert run_cli("translate", f"{PLAN}:es", "--to", "xx").returncode == 2
    r = run_cli("translate", f"{PLAN}:es", "--to", "en", "--save", "-o", "x.txt")
    assert r.returncode == 2 and "either" in r.stderr
    r = run_cli("translate", f"{PLAN}:es", "--to", "es")
    assert r.returncode == 2 and "already" in r.stderr


@needs_apertium
def test_cli_save_records_machine_entry(corpus_copy):
    r = run_cli("translate", f"{PLAN}:es", "--to", "pt", "--save")
    assert r.returncode == 0, r.stderr
    path = corpus_copy / PLAN / "pt.apertium.txt"
    assert len(parse(path.read_text(encoding="utf-8"), "pt").clauses()) == 112
    manifest = tomllib.loads((corpus_copy / "manifest.toml").read_text(encoding="utf-8"))
    entry = [d for d in manifest["document"] if d.get("file") == f"{PLAN}/pt.apertium.txt"][0]
    assert entry["kind"] == "machine" and entry["engine"] == "apertium"
    assert entry["engine_version"] and entry["translated_from"] == f"{PLAN}:es:official"
    assert entry["model"].startswith("es-pt")
    assert "MACHINE" in entry["notes"]
    # The official Portuguese entry (known, not shipped) is still there, untouched.
    assert any(d["lang"] == "pt" and d["kind"] == "official" for d in manifest["document"])


@needs_apertium
def test_engine_reference_made_on_demand(corpus_copy):
    from celac_i18n.ops import Context

    load = Context(corpus=corpus_copy).load

    # No es machine rendering is shipped: made from the plan's best text in another
    # language that apertium reads (the en reference), never from a machine rendering.
    assert not (corpus_copy / PLAN / "es.apertium.txt").exists()
    doc = load(f"{PLAN}:es:apertium")
    assert doc.lang == "es" and doc.provenance.kind == "machine"
    assert len(doc.clauses()) == 112
    assert doc.provenance.extra["translated_from"] == f"{PLAN}:en:reference"
    assert not (corpus_copy / PLAN / "es.apertium.txt").exists()    # nothing written


@needs_apertium
def test_engine_reference_reuses_shipped_rendering(corpus_copy):
    from celac_i18n.ops import Context

    load = Context(corpus=corpus_copy).load

    path = corpus_copy / PLAN / "en.apertium.txt"
    if not path.exists():
        assert run_cli("translate", f"{PLAN}:es", "--to", "en", "--save").returncode == 0
    path.write_text(path.read_text(encoding="utf-8").replace("Strengthen", "STRENGTHEN", 1),
                    encoding="utf-8")
    doc = load(f"{PLAN}:en:apertium")
    # the shipped file is read (not re-made); edited by hand, it is no longer the
    # machine output recorded, so it reads as 'modified' (issue 26)
    assert doc["I.1"].text.startswith("STRENGTHEN") and doc.provenance.kind == "modified"
    assert doc.provenance.extra["recorded"]["kind"] == "machine"


def test_import_is_lazy():
    code = ("import sys, celac_i18n.translate, celac_i18n.translate.registry, "
            "celac_i18n.cli.translate_cmd; "
            "print(sorted(m for m in ('torch', 'transformers', 'ctranslate2') "
            "if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.stdout.strip() == "[]", r.stderr


def test_unknown_engine():
    from celac_i18n.translate import get_engine

    with pytest.raises(UserError, match="unknown engine"):
        get_engine("deepl")


@needs_apertium
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(max_size=60), min_size=1, max_size=4))
@example(["[", "\\", "^$", "a\0b", "x\ny", "<b>", "{", "]]", "[<STREAMCMD:SETVAR:x>]", "\x0c"])
def test_apertium_never_crashes_and_stays_in_step(apertium, texts):
    """Arbitrary text (brackets, backslashes, NULs, newlines): one line out per segment, and
    the pipeline stays in step (a known sentence after it still translates the same)."""
    out = apertium.translate([*texts, "Finanzas"], "es", "en")
    assert len(out) == len(texts) + 1 and out[-1] == "Finances"
    assert all("\n" not in o and "\0" not in o for o in out)
    assert all(o == "" for t, o in zip(texts, out) if not t.strip())


@needs_apertium
@pytest.mark.parametrize("command, what", [("tail -f /dev/null", "stalled"),
                                           ("tr -d '\\000'", "stopped")])
def test_stuck_or_dead_pipeline_is_an_error_not_a_hang(tmp_path, monkeypatch, command, what):
    """A pipeline that stops answering (or dies) must fail with a message, and leave no
    process behind, rather than hang or hand back outputs out of step."""
    import subprocess as sp

    from celac_i18n.translate import apertium as ap

    mode = tmp_path / "stuck.mode"
    mode.write_text(command + "\n", encoding="utf-8")
    monkeypatch.setattr(ap, "STALL_S", 0.5)
    pipe = ap._Pipeline(mode)
    with pytest.raises(RuntimeError, match=f"{what}.*segment 1 of 2"):
        pipe.translate_many(["hola", "adiós"])
    assert pipe.proc.poll() is not None
    left = sp.run(["pgrep", "-g", str(pipe.proc.pid)], capture_output=True, text=True)
    assert left.stdout.strip() == ""
