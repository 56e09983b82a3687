"""hf and ct2 engines end to end on a tiny MarianMT model built offline by the tests."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("sentencepiece")

from celac_i18n.errors import UserError  # noqa: E402
from celac_i18n.parse import parse  # noqa: E402

from conftest import run_cli  # noqa: E402
from test_translate import EngineContract  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "translate"))
import tiny_marian  # noqa: E402

MINI = "tests/fixtures/translate/mini.es.txt"
MINI_IDS = ["title", "preamble.1", "I", "I.1", "I.2", "II", "II.1", "II.1.1", "II.2", "II.2.1"]


def run_main(capsys, *args: str):
    """The real entry point in-process (exit codes as a user sees them, torch imported once)."""
    from celac_i18n.cli import main

    capsys.readouterr()
    try:
        main(list(args))
        code = 0
    except SystemExit as e:
        code = e.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="session")
def tiny(tmp_path_factory) -> Path:
    """The tiny model, built then reloaded offline (HF_HUB_OFFLINE=1 for the whole file)."""
    import torch

    os.environ["HF_HUB_OFFLINE"] = "1"
    torch.set_num_threads(1)     # others run tests on the same cores: no oversubscription
    return tiny_marian.build(tmp_path_factory.mktemp("models") / "tiny-marian")


@pytest.fixture(scope="session")
def tiny_bad_pad(tiny, tmp_path_factory) -> Path:
    return tiny_marian.with_noisy_pad(tiny, tmp_path_factory.mktemp("models") / "tiny-badpad")


@pytest.fixture(autouse=True)
def offline(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))    # an empty HF cache


@pytest.fixture(scope="module")
def hf_engine(tiny):
    from celac_i18n.translate.hf import HFEngine

    return HFEngine(model=str(tiny), beams=1)


@pytest.fixture(scope="module")
def ct2_engine(tiny, tmp_path_factory):
    pytest.importorskip("ctranslate2")
    from celac_i18n.translate.ct2 import CT2Engine

    os.environ["CELAC_I18N_CT2_DIR"] = str(tmp_path_factory.mktemp("ct2"))
    return CT2Engine(model=str(tiny), beams=1)


class NeuralContract(EngineContract):
    # Headings the tiny model learnt: short outputs, so the contract runs in milliseconds.
    samples = ["Comercio e Inversión", "Finanzas", "Cooperación Política y de Seguridad",
               "Cooperación Social"]


class TestHFContract(NeuralContract):
    @pytest.fixture
    def pair(self):
        return ("es", "en")

    @pytest.fixture
    def engine(self, hf_engine):
        return hf_engine


class TestCT2Contract(NeuralContract):
    @pytest.fixture
    def pair(self):
        return ("es", "en")

    @pytest.fixture
    def engine(self, ct2_engine):
        return ct2_engine


def test_tiny_model_learnt_the_headings(hf_engine):
    # Not degenerate: a few training steps are enough for the headings it saw.
    out = hf_engine.translate(["Comercio e Inversión", "Finanzas"], "es", "en")
    assert out == ["Trade and Investment", "Finance"]


def test_ct2_matches_transformers_greedy(hf_engine, ct2_engine):
    from celac_i18n.corpus.refs import load

    doc = load(f"{MINI}@es")
    segs = [s for u in doc.units for s in (u.sentences or [u.text])]
    assert ct2_engine.translate(segs, "es", "en") == hf_engine.translate(segs, "es", "en")


def test_marian_pair_checked(hf_engine):
    with pytest.raises(UserError, match="translates es→en, not es→pt"):
        hf_engine.translate(["hola"], "es", "pt")


def test_truncation_is_reported(tiny):
    from celac_i18n.translate.hf import HFEngine

    e = HFEngine(model=str(tiny), beams=1, max_length=8)
    out = e.translate(["Fortalecer los contactos y reuniones de alto nivel entre líderes "
                       "y representantes de ambas Partes en foros multilaterales."], "es", "en")
    assert out[0] and e.truncated == 1 and "truncated to 8 tokens" in e.warnings[0]


@pytest.mark.parametrize("engine", ["hf", "ct2"])
def test_cli_end_to_end_keeps_ids(engine, tiny, tmp_path, capsys, monkeypatch):
    if engine == "ct2":
        pytest.importorskip("ctranslate2")
    monkeypatch.setenv("CELAC_I18N_CT2_DIR", str(tmp_path / "ct2"))
    out = tmp_path / "en.txt"
    code, _, err = run_main(capsys, "translate", f"{MINI}@es", "--to", "en", "--engine", engine,
                            "--model", str(tiny), "--beams", "1", "-o", str(out))
    assert code == 0, err
    doc = parse(out.read_text(encoding="utf-8"), "en")
    assert [u.id for u in doc.units] == MINI_IDS
    assert doc["II.1"].heading == "Trade and Investment"
    assert f"signature: {engine}:" in err and "model:tiny-marian@" in err


def test_ct2_refuses_non_zero_pad_embedding(tiny_bad_pad, tmp_path, capsys, monkeypatch):
    pytest.importorskip("ctranslate2")
    from celac_i18n.translate.ct2 import CT2Engine, marian_pad_problems

    assert marian_pad_problems(tiny_bad_pad) and any(
        "<pad> embedding" in p for p in marian_pad_problems(tiny_bad_pad))
    os.environ["CELAC_I18N_CT2_DIR"] = str(tmp_path / "ct2")
    with pytest.raises(UserError, match="would mistranslate.*<pad> embedding.*--zero-pad"):
        CT2Engine(model=str(tiny_bad_pad)).translate(["Finanzas"], "es", "en")
    assert not list((tmp_path / "ct2").glob("*/model.bin"))     # nothing half-converted
    monkeypatch.setenv("CELAC_I18N_CT2_DIR", str(tmp_path / "c"))
    code, out, err = run_main(capsys, "translate", f"{MINI}@es", "--to", "en", "--engine", "ct2",
                              "--model", str(tiny_bad_pad))
    assert code == 2 and "<pad>" in err and out == ""


def test_ct2_zero_pad_fix_is_explicit(tiny, tiny_bad_pad, hf_engine, tmp_path):
    pytest.importorskip("ctranslate2")
    from celac_i18n.translate.ct2 import CT2Engine

    os.environ["CELAC_I18N_CT2_DIR"] = str(tmp_path / "ct2")
    fixed = CT2Engine(model=str(tiny_bad_pad), beams=1, zero_pad=True)
    segs = ["Comercio e Inversión", "Cooperación Política y de Seguridad"]
    # The bad model differs from the tiny one only in its <pad> row: zeroed, it is the same.
    assert fixed.translate(segs, "es", "en") == hf_engine.translate(segs, "es", "en")
    assert "zero_pad:yes" in fixed.signature("es", "en")


def test_missing_model_names_it_and_how_to_get_it():
    r = run_cli("translate", "2022-2024:es", "--to", "zh", "--engine", "hf")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "Helsinki-NLP/opus-mt-es-zh" in r.stderr and "huggingface-cli download" in r.stderr
    r = run_cli("translate", "2022-2024:es", "--to", "en", "--engine", "hf",
                "--model", "facebook/nllb-200-distilled-600M")
    assert r.returncode == 2 and "not available offline" in r.stderr
    r = run_cli("translate", "2022-2024:es", "--to", "en", "--engine", "hf",
                "--model", "/no/such/dir")
    assert r.returncode == 2 and "no such model directory" in r.stderr
