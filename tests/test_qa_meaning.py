"""The QA `meaning` check, with the real default encoder (USE multilingual v3): swapped
clause texts and term-preserving rewrites are found; faithful references (the plan's
and a real public text's) pass nearly clean."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from celac_i18n.cli import cli
from celac_i18n.corpus.manifest import corpus_dir
from celac_i18n.model import Unit
from celac_i18n.ops import Context
from celac_i18n.qa import run_qa
from celac_i18n.qa.beads import BeadPair
from celac_i18n.qa.meaning import items

PARALLEL = Path(__file__).parent / "fixtures" / "parallel"
ZH = corpus_dir() / "2022-2024" / "zh.reference.txt"
# a clause about counter-terrorism rewritten about football and food festivals, keeping
# its termbase terms (双方, 联合国安理会, 第1373号决议) and its number
REWRITE_I3 = ("3．双方同意在联合国安理会第1373号决议通过纪念日前后举办青年足球友谊赛、美食节和"
              "旅游推介活动，邀请各国运动员、厨师和旅行社参加，丰富民众文化生活。")


@pytest.fixture(scope="module")
def ctx():
    return Context()


def qa(ctx, src, tgt, checks="meaning"):
    return run_qa(ctx.load_aligned(src), ctx.load_aligned(tgt), checks,
                  semantic=ctx.semantic(), src_name=src, tgt_name=tgt)


def meaning(report):
    return [f for f in report.findings if f.check == "meaning"]


def _swap(lines: list[str], a: int, b: int, marker: str) -> None:
    pa, pb = re.match(marker, lines[a]), re.match(marker, lines[b])
    lines[a] = pa.group(1) + pb.group(2)
    lines[b] = pb.group(1) + pa.group(2)


def _zh_lines() -> list[str]:
    return ZH.read_text(encoding="utf-8").split("\n")


def _line(lines: list[str], chapter: str, number: str) -> int:
    start = lines.index(chapter)
    return next(k for k in range(start, len(lines)) if lines[k].startswith(number + "．"))


def _write(tmp_path, name, lines, lang) -> str:
    p = tmp_path / name
    p.write_text("\n".join(lines), encoding="utf-8")
    return f"{p}@{lang}"


@pytest.mark.parametrize("lang", ["en", "zh", "pt"])
def test_faithful_plan_references_pass_nearly_clean(ctx, lang):
    r = qa(ctx, "2022-2024:es", f"2022-2024:{lang}")
    assert len(meaning(r)) <= 3, [f.message for f in meaning(r)]


def test_machine_rendering_is_judged_too(ctx):
    r = qa(ctx, "2022-2024:es", "2022-2024:en:apertium")
    assert "meaning" in r.checks and not r.warnings
    assert len(meaning(r)) <= 3


def test_swapped_chinese_clauses_are_critical_and_name_the_right_clause(ctx, tmp_path):
    lines = _zh_lines()
    i3, v4 = _line(lines, "一、政治与安全合作", "3"), _line(lines, "五、可持续发展", "4")
    _swap(lines, i3, v4, r"^(\d+．)(.*)$")
    r = qa(ctx, "2022-2024:es", _write(tmp_path, "swap.zh.txt", lines, "zh"))
    found = {(f.id, f.severity, f.detail.get("belongs_to")) for f in meaning(r)}
    assert ("I.3", "critical", "V.4") in found
    assert ("V.4", "critical", "I.3") in found
    f = next(f for f in meaning(r) if f.id == "I.3")
    assert "belongs to V.4" in f.message and "median" in f.message and "spread" in f.message
    assert f.detail["similarity"] < f.detail["baseline"]["median"]


def test_swap_of_two_related_clauses_in_one_chapter(ctx, tmp_path):
    lines = _zh_lines()
    _swap(lines, _line(lines, "一、政治与安全合作", "3"), _line(lines, "一、政治与安全合作", "7"),
          r"^(\d+．)(.*)$")
    r = qa(ctx, "2022-2024:es", _write(tmp_path, "swap.zh.txt", lines, "zh"))
    assert ("I.3", "critical", "I.7") in {(f.id, f.severity, f.detail.get("belongs_to"))
                                          for f in meaning(r)}


def test_term_preserving_rewrite_is_found_where_terms_and_numbers_see_nothing(ctx, tmp_path):
    lines = _zh_lines()
    lines[_line(lines, "一、政治与安全合作", "3")] = REWRITE_I3
    r = qa(ctx, "2022-2024:es", _write(tmp_path, "rewrite.zh.txt", lines, "zh"), "all")
    at = [f for f in r.findings if f.id == "I.3"]
    assert [f.check for f in at if f.check in ("numbers", "terms", "acronyms")] == []
    m = [f for f in at if f.check == "meaning"]
    assert len(m) == 1 and m[0].severity == "functional"
    assert m[0].detail["similarity"] < 0.4 and "z=" in m[0].message


def test_real_un_charter_faithful_and_swapped(ctx, tmp_path):
    es = f"{PARALLEL / 'un-charter.es.txt'}@es"
    for lang in ("zh", "en"):
        ref = f"{PARALLEL / f'un-charter.{lang}.txt'}@{lang}"
        assert meaning(qa(ctx, es, ref)) == []          # measured: 0 on each
        lines = (PARALLEL / f"un-charter.{lang}.txt").read_text(encoding="utf-8").split("\n")
        a = next(k for k, x in enumerate(lines) if x.startswith("3. ")) # art. 1.3
        b = [k for k, x in enumerate(lines) if x.startswith("6. ")][0]  # art. 2.6
        _swap(lines, a, b, r"^(\d+\. )(.*)$")
        r = qa(ctx, es, _write(tmp_path, f"un.{lang}.txt", lines, lang))
        found = {(f.id, f.severity, f.detail.get("belongs_to")) for f in meaning(r)}
        assert found == {("art.1.3", "critical", "art.2.6"), ("art.2.6", "critical", "art.1.3")}


def test_without_the_cue_the_check_is_skipped_and_says_so(ctx):
    doc_es, doc_en = ctx.load_aligned("2022-2024:es"), ctx.load_aligned("2022-2024:en")
    r = run_qa(doc_es, doc_en, "meaning", semantic=None)
    assert r.findings == [] and any("meaning: skipped" in w for w in r.warnings)
    assert str(r.signature).endswith("|encoder:none")


def test_cli_records_encoder_and_reports_similarity(tmp_path):
    lines = _zh_lines()
    lines[_line(lines, "一、政治与安全合作", "3")] = REWRITE_I3
    p = tmp_path / "rw.zh.txt"
    p.write_text("\n".join(lines), encoding="utf-8")
    env = {"CELAC_I18N_CACHE": str(tmp_path / "cache.sqlite")}
    r = CliRunner().invoke(cli, ["qa", "2022-2024:es", f"{p}@zh", "--checks", "meaning",
                                 "--format", "json"], env=env, catch_exceptions=False)
    data = json.loads(r.stdout)
    assert "use-m3@" in data["signature"]
    (f,) = data["findings"]
    assert f["id"] == "I.3" and f["check"] == "meaning"
    assert set(f["baseline"]) >= {"median", "spread"} and 0 < f["similarity"] < 0.4
    off = CliRunner().invoke(cli, ["qa", "2022-2024:es", f"{p}@zh", "--checks", "meaning",
                                   "--embed-model", "none", "--format", "json"], env=env,
                             catch_exceptions=False)
    assert json.loads(off.stdout)["findings"] == []
    assert "meaning: skipped" in off.stderr


# -- which rendering is judged against which source text (property) -------------------

def _u(uid: str, lang: str) -> Unit:
    return Unit(id=uid, kind="clause", number=uid, heading="", text=f"{lang} {uid}")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)).filter(lambda t: any(t)),
                max_size=25))
def test_items_use_every_target_unit_once_and_stay_in_order(shape):
    pairs, n = [], 0
    for bead, (ns, nt) in enumerate(shape, start=1):
        s = tuple(_u(f"s{n + k}", "es") for k in range(ns))
        t = tuple(_u(f"s{n + k}" if bead % 2 else f"t{n + k}", "en") for k in range(nt))
        n += max(ns, nt)
        pairs.append(BeadPair((s or t)[0].id, s[0] if s else None, t[0] if t else None, bead,
                              tuple(u.id for u in s), tuple(u.id for u in t), 1.0, s, t))
    got = items(pairs)
    tgt = [u for it in got for u in it.tgt]
    assert sorted(map(id, tgt)) == sorted(id(u) for p in pairs for u in p.tgt_units)
    # a source unit is judged at most once, and never against a rendering after a
    # paired bead it precedes (no item reaches across a bead that holds both sides)
    srcs = [id(u) for it in got for u in it.src]
    assert len(srcs) == len(set(srcs))
    bead_of = {id(u): p.bead for p in pairs for u in p.src_units}
    paired = sorted(p.bead for p in pairs if p.src_units and p.tgt_units)
    for it in got:
        for u in it.src:
            lo, hi = sorted((bead_of[id(u)], it.bead))
            assert not any(lo < b < hi for b in paired)
        assert it.confident == (len(it.src) == len(it.tgt) == 1 and not it.how
                                and any(p.bead == it.bead and len(p.src_units) == 1
                                        and len(p.tgt_units) == 1 for p in pairs))
