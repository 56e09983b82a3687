"""Shared fixtures. Documents come from the shipped corpus or are built by the tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpora"
PLAN = "2022-2024"


@pytest.fixture(scope="session")
def es_text() -> str:
    return (CORPUS / PLAN / "es.official.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def es_doc():
    from celac_i18n.corpus.refs import load

    return load(f"{PLAN}:es")


@pytest.fixture()
def corpus_copy(tmp_path, monkeypatch) -> Path:
    """A private copy of corpora/ that tests may modify; CELAC_I18N_CORPUS points at it."""
    dest = tmp_path / "corpora"
    shutil.copytree(CORPUS, dest)
    monkeypatch.setenv("CELAC_I18N_CORPUS", str(dest))
    return dest


def run_cli(*args: str, env: dict | None = None, cwd: Path | None = None):
    """Run the real console entry point in a subprocess (exit codes, stderr, no tracebacks)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "celac_i18n", *args], capture_output=True,
                          text=True, env=full_env, cwd=cwd or ROOT, timeout=120)
