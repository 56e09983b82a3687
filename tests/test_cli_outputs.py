"""Where commands write: -o never clobbers an input, bad paths are one-line errors, and
engines opened for a command are closed and use the translation cache."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from click.testing import CliRunner

from celac_i18n.corpus.manifest import corpus_dir
from celac_i18n.errors import UserError

from conftest import PLAN, run_cli

needs_apertium = pytest.mark.skipif(shutil.which("apertium-wblank-mode") is None,
                                    reason="apertium is not installed")
MINI_ES = "tests/fixtures/translate/mini.es.txt"
MINI_EN = """PLAN OF JOINT ACTION FOR COOPERATION IN KEY AREAS CHINA-CELAC (2022-2024)

The Third Ministerial Meeting of the China - CELAC Forum was held virtually on 3 December 2021.

I. Political and Security Cooperation

1. Explore the possibility of holding a China-CELAC Forum Summit in 2024.
2. Continue holding the China - Latin America High-Level Defence Forum.

II. Economic and Pragmatic Cooperation

1. Trade and Investment

- 1.1. Promote the legitimate, convenient and orderly flow of trade.

2. Finance

- 2.1 Deepen cooperation between financial institutions.
"""


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Never touch the user's cache: every test gets its own."""
    path = tmp_path / "cache" / "translations.sqlite"
    monkeypatch.setenv("CELAC_I18N_CACHE", str(path))
    return path


@pytest.fixture
def plan_copy(tmp_path):
    p = tmp_path / "plan.txt"
    shutil.copy(corpus_dir() / "2022-2024" / "es.official.txt", p)
    return p


# -- 1. -o is never one of the inputs ------------------------------------------------------

@pytest.mark.parametrize("cmd", [
    ["translate", "{f}@es", "--to", "en", "-o", "{f}"],
    ["align", "{f}@es", f"{PLAN}:en", "-o", "{f}"],
    ["align", f"{PLAN}:en", "{f}", "-o", "{f}"],
    ["diff", "{f}@es", f"{PLAN}:es", "-o", "{f}"],
    ["qa", f"{PLAN}:en", "{f}@es", "-o", "{f}"],
])
def test_output_that_is_an_input_is_refused_and_left_intact(cmd, plan_copy):
    before = plan_copy.read_bytes()
    r = run_cli(*[a.format(f=plan_copy) for a in cmd])
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "is an input of this command; choose another -o" in r.stderr
    assert plan_copy.read_bytes() == before


def test_pdf_output_that_is_an_input_is_refused(tmp_path):
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(b"%PDF-1.4 not really")
    r = run_cli("pdf", f"{pdf}@es", f"{PLAN}:en", "-o", str(pdf))
    assert r.returncode == 2 and "is an input of this command" in r.stderr
    assert pdf.read_bytes() == b"%PDF-1.4 not really"


def test_output_onto_a_corpus_text_is_refused_even_by_corpus_reference():
    target = corpus_dir() / "2022-2024" / "en.reference.txt"
    before = target.read_bytes()
    r = run_cli("align", f"{PLAN}:es", f"{PLAN}:zh", "-o", str(target))
    assert r.returncode == 2 and "inside the corpus" in r.stderr
    assert target.read_bytes() == before


def test_refuse_overwriting_inputs_through_another_spelling(plan_copy, monkeypatch):
    from celac_i18n.corpus.refs import load
    from celac_i18n.corpus.guard import refuse_overwriting_inputs

    doc = load(f"{plan_copy}@es")
    monkeypatch.chdir(plan_copy.parent)
    with pytest.raises(UserError, match="is an input"):
        refuse_overwriting_inputs("./sub/../plan.txt", [doc])
    refuse_overwriting_inputs("other.txt", [doc, f"{PLAN}:es"])      # fine: no error


# -- 2. bad output and cache paths are one-line errors --------------------------------------

def test_unwritable_output_is_a_one_line_error():
    r = run_cli("qa", f"{PLAN}:es", f"{PLAN}:en", "-o", "/proc/x/out.txt")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "/proc/x/out.txt: cannot write" in r.stderr


@pytest.mark.parametrize("bad", ["notadb", "/proc/nope/x.sqlite"])
def test_broken_cache_is_a_one_line_error(bad, tmp_path):
    if bad == "notadb":
        bad = tmp_path / "notadb.sqlite"
        bad.write_text("hi\n")
    r = run_cli("translate", f"{MINI_ES}@es", "--to", "en", env={"CELAC_I18N_CACHE": str(bad)})
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "CELAC_I18N_CACHE=off" in r.stderr and str(bad) in r.stderr


def test_broken_cache_raises_user_error(tmp_path):
    from celac_i18n.translate.cache import TranslationCache

    bad = tmp_path / "notadb.sqlite"
    bad.write_text("hi\n")
    with pytest.raises(UserError, match="CELAC_I18N_CACHE=off"):
        TranslationCache(bad)


# -- 3. align --engine closes the engine and uses the cache --------------------------------

@needs_apertium
def test_align_with_engine_closes_apertium_and_fills_the_cache(tmp_path, monkeypatch,
                                                                 private_cache):
    from celac_i18n.cli import cli
    from celac_i18n.translate import apertium
    from celac_i18n.translate.cache import TranslationCache

    started = []
    orig = apertium._Pipeline.__init__

    def record(self, *a, **k):
        orig(self, *a, **k)
        started.append(self)

    monkeypatch.setattr(apertium._Pipeline, "__init__", record)
    en = tmp_path / "mini.en.txt"
    en.write_text(MINI_EN, encoding="utf-8")
    out = tmp_path / "al.jsonl"
    r = CliRunner().invoke(cli, ["align", f"{en}@en", f"{MINI_ES}@es", "--engine", "apertium",
                                 "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert started, "apertium was never run"
    assert all(p.proc.poll() is not None for p in started), "apertium left running"
    with TranslationCache(private_cache) as c:
        assert c.count() > 0


def test_session_closes_engine_and_cache_on_error(monkeypatch, private_cache):
    from celac_i18n import translate
    from celac_i18n.translate.apertium import ApertiumEngine

    from celac_i18n.translate.cache import TranslationCache

    closed = []
    monkeypatch.setattr(ApertiumEngine, "close", lambda self: closed.append(self.name))
    with pytest.raises(RuntimeError):
        with translate.session("apertium", cache=TranslationCache(private_cache)) as (
                engine, cache):
            assert cache is not None and cache.count() == 0
            raise RuntimeError("boom")
    assert closed == ["apertium"]
    with pytest.raises(sqlite3.ProgrammingError):      # closed database
        cache.count()


# -- 5. one helper for each shared computation ---------------------------------------------

def test_cache_locations_share_one_xdg_base(monkeypatch, tmp_path):
    from celac_i18n import termbase
    from celac_i18n.fsutil import sha256_bytes, user_cache_dir
    from celac_i18n.langs import LANGS
    from celac_i18n.translate.cache import default_cache_path, text_key
    from celac_i18n.translate.ct2 import ct2_cache_dir

    monkeypatch.delenv("CELAC_I18N_CACHE")
    monkeypatch.delenv("CELAC_I18N_CT2_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert user_cache_dir() == tmp_path / "celac-i18n"
    assert default_cache_path().parent == ct2_cache_dir().parent == user_cache_dir()
    assert text_key("año 中") == sha256_bytes("año 中".encode("utf-8"))
    assert termbase.LANGS is LANGS
