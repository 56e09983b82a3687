"""`score --src`: xsim, the reference-free cross-lingual similarity of source and
hypothesis (real default encoder), per document and per unit, in every output format,
labelled as similarity and not as a quality metric."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from celac_i18n.cli import cli
from celac_i18n.corpus.manifest import corpus_dir

PARALLEL = Path(__file__).parent / "fixtures" / "parallel"


@pytest.fixture()
def env(tmp_path):
    return {"CELAC_I18N_CACHE": str(tmp_path / "cache.sqlite")}


def run(args, env):
    return CliRunner().invoke(cli, args, env=env, catch_exceptions=False)


def score_json(args, env) -> dict:
    r = run(["score", *args, "--format", "json"], env)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


@pytest.fixture()
def swapped_zh(tmp_path) -> str:
    """The plan's zh reference with the texts of I.3 and V.4 swapped."""
    lines = (corpus_dir() / "2022-2024" / "zh.reference.txt").read_text(
        encoding="utf-8").split("\n")
    i3 = next(k for k in range(lines.index("一、政治与安全合作"), len(lines))
              if lines[k].startswith("3．"))
    v4 = next(k for k in range(lines.index("五、可持续发展"), len(lines))
              if lines[k].startswith("4．"))
    a, b = (re.match(r"^(\d+．)(.*)$", lines[k]) for k in (i3, v4))
    lines[i3], lines[v4] = a.group(1) + b.group(2), b.group(1) + a.group(2)
    p = tmp_path / "swap.zh.txt"
    p.write_text("\n".join(lines), encoding="utf-8")
    return f"{p}@zh"


def test_xsim_row_with_src_labelled_as_similarity(env):
    data = score_json(["2022-2024:en:apertium", "2022-2024:en", "--src", "2022-2024:es"], env)
    row = next(r for r in data["corpus"] if r["metric"] == "xsim")
    assert 0.7 < row["score"] < 1           # measured: 0.876
    assert "encoder:use-m3@" in row["signature"] and "pair:es-en" in row["signature"]
    assert "kind:similarity-not-quality" in row["signature"]
    sim = data["similarity"]
    assert "not a quality metric" in sim["what"] and sim["units"] == 138
    assert {"BLEU", "chrF2++", "TER"} <= {r["metric"] for r in data["corpus"]}


def test_no_xsim_without_src_or_with_the_cue_off(env):
    data = score_json(["2022-2024:en:apertium", "2022-2024:en"], env)
    assert "xsim" not in {r["metric"] for r in data["corpus"]} and "similarity" not in data
    r = run(["score", "2022-2024:en:apertium", "2022-2024:en", "--src", "2022-2024:es",
             "--embed-model", "none", "--format", "json"], env)
    assert "xsim" not in {x["metric"] for x in json.loads(r.stdout)["corpus"]}
    assert "xsim: left out" in r.stderr


def test_per_clause_xsim_points_at_the_swapped_clauses(env, swapped_zh):
    base = ["2022-2024:zh", "--src", "2022-2024:es", "--per-clause"]
    good = score_json(["2022-2024:zh", *base], env)
    bad = score_json([swapped_zh, *base], env)
    per = {s["id"]: s["xsim"] for s in bad["segments"]}
    low = sorted(per, key=per.get)[:2]
    assert set(low) == {"I.3", "V.4"}
    faithful = {s["id"]: s["xsim"] for s in good["segments"]}
    assert all(per[i] == faithful[i] for i in per if i not in ("I.3", "V.4"))
    doc = {d["metric"]: d["score"] for d in bad["corpus"]}
    assert doc["xsim"] < {d["metric"]: d["score"] for d in good["corpus"]}["xsim"]
    assert "xsim" in bad["segment_signatures"]


def test_tsv_and_table_carry_xsim(env):
    args = ["score", "2022-2024:pt:apertium", "2022-2024:pt", "--src", "2022-2024:es",
            "--per-clause"]
    r = run([*args, "--format", "tsv"], env)
    rows = list(csv.DictReader(io.StringIO(r.stdout), delimiter="\t"))
    xs = [x for x in rows if x["metric"] == "xsim"]
    assert [x["scope"] for x in xs].count("corpus") == 1 and len(xs) == 1 + 138
    assert all("kind:similarity-not-quality" in x["signature"] for x in xs)
    r = run([*args, "--format", "table"], env)
    assert "xsim" in r.stdout and "not a quality metric" in r.stdout


def test_real_un_charter(env):
    es = f"{PARALLEL / 'un-charter.es.txt'}@es"
    for lang, lo in (("zh", 0.55), ("en", 0.75)):
        ref = f"{PARALLEL / f'un-charter.{lang}.txt'}@{lang}"
        data = score_json([ref, ref, "--src", es, "--per-clause"], env)
        row = next(r for r in data["corpus"] if r["metric"] == "xsim")
        assert lo < row["score"] < 1, row
        assert f"pair:es-{lang}" in row["signature"]
        # measured: zh 0.669, en 0.822 over the 20 units with text (article headings
        # "Artículo 1" carry none and get no xsim)
        have = [s["id"] for s in data["segments"] if "xsim" in s]
        assert len(have) == data["similarity"]["units"] == 20
        assert {"art.1.1", "art.2.7", "art.6.p1"} <= set(have)
