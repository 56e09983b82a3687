"""The operations layer: operations built from plain values and validated before they
run, run on an explicit context, results written in every declared format; the one
CLI convention every operation-backed command follows."""

from __future__ import annotations

import io
import json
import pickle
from pathlib import Path

import pytest

from celac_i18n.errors import UserError
from celac_i18n.ops import OPERATIONS, Context, build, get

from conftest import CORPUS, PLAN, run_cli

FIX = Path(__file__).parent / "fixtures"


# -- building: every key and value checked before anything runs ------------------------

@pytest.mark.parametrize("name, inputs, options, message", [
    ("align", [f"{PLAN}:es", f"{PLAN}:en"], {"termbase": "tb.tsv"}, "has no option 'termbase'"),
    ("align", [f"{PLAN}:es", f"{PLAN}:en"], {"min_confidence": 2}, "between 0 and 1"),
    ("align", [f"{PLAN}:es", f"{PLAN}:en"], {"min_confidence": "high"}, "must be a number"),
    ("align", [f"{PLAN}:es", f"{PLAN}:en"], {"level": "word"}, "not one of clause, sentence"),
    ("align", [f"{PLAN}:es"], {}, "needs at least two documents"),
    ("qa", [f"{PLAN}:es", f"{PLAN}:en"], {"checks": "numbers,spelling"}, "spelling"),
    ("qa", [f"{PLAN}:es", f"{PLAN}:en"], {"fail_on": True}, "must be a string"),
    ("score", [f"{PLAN}:en", f"{PLAN}:en"], {"metrics": "bleu,meteor"}, "meteor"),
    ("score", [f"{PLAN}:en", f"{PLAN}:en"], {"comet": "/m"}, "need the source document"),
    ("compare", ["a", "b", "c"], {"bootstrap": 3}, "between 10 and 100000"),
    ("diff", [f"{PLAN}:es", f"{PLAN}:es"], {"only": "changed"}, "unknown kind changed"),
    ("pdf", [f"{PLAN}:es", f"{PLAN}:en"], {"layout": "table", "annotate": "spelling"},
     "spelling"),
    ("translate", [f"{PLAN}:es"], {}, "--to LANG"),
    ("translate", [f"{PLAN}:es"], {"to": "en", "beams": 4}, "--beams applies"),
    ("clauses", [f"{PLAN}:es"], {"kind": "chapters"}, "not one of"),
    ("align-eval", ["p.jsonl", "g.jsonl"], {"pair": ["es:zh"]}, "SRC-TGT"),
])
def test_bad_options_are_refused_when_built(name, inputs, options, message):
    with pytest.raises(UserError, match=message):
        build(name, inputs, options, where="jobs.toml: output #3")


def test_errors_name_the_place_and_list_the_options():
    with pytest.raises(UserError) as e:
        build("qa", ["a", "b"], {"serverity": "critical"}, where="jobs.toml: output #2")
    msg = str(e.value)
    assert msg.startswith("jobs.toml: output #2: qa has no option 'serverity'")
    assert "severity" in msg.split("its options:")[1]


def test_every_registered_operation_imports_and_declares_itself():
    for name in OPERATIONS:
        cls = get(name)
        assert cls.name == name and cls.summary and cls.__doc__
        assert cls.formats and cls.piped in cls.formats and cls.suffixes
        assert set(cls.suffixes.values()) <= set(cls.formats)
        assert len({o.name for o in cls.options}) == len(cls.options)
        for o in cls.options:
            assert o.help, f"{name}: option {o.name} has no help"


def test_declared_inputs_and_config():
    op = build("qa", [f"{PLAN}:es", "tr.txt@en"], {"termbase": "tb.tsv",
                                                    "alignment": "a.jsonl"})
    assert op.declared_inputs() == [f"{PLAN}:es", "tr.txt@en", "tb.tsv", "a.jsonl"]
    conf = op.config()
    # only what differs from the defaults: a job with default options keeps its key
    assert conf["options"] == {"termbase": "tb.tsv", "alignment": "a.jsonl"}
    assert build("qa", ["a", "b"], {"severity": "cosmetic"}).config()["options"] == {}


# -- running on a context ----------------------------------------------------------------

def test_context_is_explicit_and_plain_data(tmp_path):
    ctx = Context(corpus=CORPUS, cache_path=tmp_path / "c.sqlite", font_dirs=("/x",))
    again = Context.from_settings(pickle.loads(pickle.dumps(ctx.settings())))
    assert again == ctx and again.manifest.root == CORPUS
    assert again.termbase.fingerprint == ctx.termbase.fingerprint != "none"


def test_a_corpus_elsewhere_is_read_through_the_context(corpus_copy, monkeypatch):
    # the context, not the environment, names the corpus below the CLI
    monkeypatch.delenv("CELAC_I18N_CORPUS")
    es = corpus_copy / PLAN / "es.official.txt"
    es.write_text(es.read_text(encoding="utf-8").replace("Fortalecer", "FORTALECER", 1),
                  encoding="utf-8")
    res = build("clauses", [f"{PLAN}:es"]).run(Context(corpus=corpus_copy))
    assert res.records[0]["text"].startswith("FORTALECER")
    shipped = build("clauses", [f"{PLAN}:es"]).run(Context())
    assert shipped.records[0]["text"].startswith("Fortalecer")


def test_termbase_of_the_context_reaches_align_qa_and_diff(tmp_path):
    tb = tmp_path / "tb.tsv"
    lines = (CORPUS / "termbase.tsv").read_text(encoding="utf-8").splitlines()
    tb.write_text("\n".join(lines[:5]) + "\n", encoding="utf-8")
    ctx = Context(termbase_path=tb)
    fp = ctx.termbase.fingerprint
    assert len(ctx.termbase) == 4
    align = build("align", [f"{PLAN}:es", f"{PLAN}:en"]).run(ctx)
    qa = build("qa", [f"{PLAN}:es", f"{PLAN}:en"]).run(ctx)
    diff = build("diff", [f"{PLAN}:es", f"{PLAN}:es"]).run(ctx)
    for sig in (align.signature, qa.signature, diff.signature):
        assert sig.info["termbase"] == fp


def test_results_write_every_declared_format():
    ctx = Context()
    for name, inputs in [("clauses", [f"{PLAN}:zh"]), ("qa", [f"{PLAN}:es", f"{PLAN}:pt"]),
                         ("align", [f"{PLAN}:es", f"{PLAN}:zh"]),
                         ("score", [f"{PLAN}:en:apertium", f"{PLAN}:en"])]:
        op = build(name, inputs)
        res = op.run(ctx)
        for fmt in op.formats:
            if fmt in op.binary:
                assert res.to_bytes(fmt).startswith(b"<?xml")
                continue
            buf = io.StringIO()
            res.write(fmt, buf)
            text = buf.getvalue()
            assert text.strip(), (name, fmt)
            if fmt == "json":
                json.loads(text)
            elif fmt == "jsonl":
                [json.loads(line) for line in text.splitlines()]
            elif fmt == "tsv":
                widths = {line.count("\t") for line in text.splitlines()
                          if not line.startswith("#")}
                assert len(widths) == 1, (name, widths)


def test_signature_is_an_object_with_long_and_short_forms():
    from celac_i18n.signature import Signature

    res = build("score", [f"{PLAN}:en:apertium", f"{PLAN}:en"], {"metrics": "bleu"}).run(Context())
    sig = res.signature
    assert isinstance(sig, Signature) and sig.info["metric"] == "BLEU"
    assert sig.info["tok"] == "13a" and "nrefs:1" in sig
    assert "|c:mixed|" in sig.format(short=True) and "|case:mixed|" in sig.format()
    assert pickle.loads(pickle.dumps(sig)).info == sig.info
    more = sig.extend(select="clauses")
    assert more.info["select"] == "clauses" and more.startswith(str(sig))


# -- the CLI convention, held over every operation-backed command -----------------------

CASES = {
    "clauses": [f"{PLAN}:es"],
    "align": [f"{PLAN}:es", f"{PLAN}:en"],
    "score": [f"{PLAN}:en:apertium", f"{PLAN}:en", "--metrics", "chrf"],
    "compare": [f"{PLAN}:en:apertium", f"{PLAN}:en", f"{PLAN}:en", "--metrics", "chrf",
                "--bootstrap", "10", "--ar", "10"],
    "qa": [f"{PLAN}:es", f"{PLAN}:pt"],
    "diff": [f"{PLAN}:es", f"{PLAN}:es"],
    "history": [f"{PLAN}:es", f"{PLAN}:es"],
    "translate": [str(FIX / "pdf" / "mini.es.txt") + "@es", "--to", "en"],
}


def test_every_operation_has_a_command_with_o_and_format():
    import click

    from celac_i18n.cli import COMMANDS, cli

    ops = {name for name, (target, _) in COMMANDS.items() if target.startswith("ops:")}
    assert ops == set(OPERATIONS)
    # --help lists each command without importing it: the line must be the operation's
    assert all(COMMANDS[name][1] == get(name).summary for name in ops)
    for name in OPERATIONS:
        cmd = cli.get_command(click.Context(cli), name)
        flags = {f for p in cmd.params for f in getattr(p, "opts", [])}
        assert {"-o", "--output", "--format"} <= flags, name
        fmt = next(p for p in cmd.params if p.name == "fmt")
        assert "csv" not in fmt.type.choices, name          # tsv, never csv


@pytest.mark.parametrize("name", sorted(CASES))
def test_o_suffix_picks_the_format_and_piped_default(name, tmp_path):
    op = get(name)
    if name == "translate":
        import shutil
        if not shutil.which("apertium"):
            pytest.skip("apertium is not installed")
    # piped (not a terminal): JSONL for record streams, JSON for single documents
    r = run_cli(name, *CASES[name])
    assert r.returncode == 0, r.stderr
    if op.piped == "jsonl":
        assert all(json.loads(line) for line in r.stdout.splitlines())
    elif op.piped == "json":
        json.loads(r.stdout)
    # -o FILE.json(l)/.tsv: the suffix decides, and the file holds what stdout would
    for suffix in ("json", "jsonl", "tsv"):
        if suffix not in op.suffixes:
            continue
        out = tmp_path / f"out.{suffix}"
        r = run_cli(name, *CASES[name], "-o", str(out))
        assert r.returncode == 0, r.stderr
        text = out.read_text(encoding="utf-8")
        if suffix == "json":
            json.loads(text)
        elif suffix == "jsonl":
            [json.loads(line) for line in text.splitlines()]
        else:
            rows = [line for line in text.splitlines() if not line.startswith("#")]
            assert "\t" in rows[0] and not text.lstrip().startswith("{")
    # a suffix that says nothing, and a clash between --format and the suffix
    r = run_cli(name, *CASES[name], "-o", str(tmp_path / "out.bin"))
    assert r.returncode == 2 and "cannot tell the format" in r.stderr
    assert not (tmp_path / "out.bin").exists()
    other = next((f for f in op.formats if f not in ("table", "text", "json")), None)
    if other and "json" in op.suffixes:
        r = run_cli(name, *CASES[name], "--format", other, "-o", str(tmp_path / "x.json"))
        assert r.returncode == 2 and "does not fit" in r.stderr


def test_binary_formats_need_o():
    r = run_cli("diff", f"{PLAN}:es", f"{PLAN}:es", "--format", "pdf")
    assert r.returncode == 2 and "needs -o FILE.pdf" in r.stderr


def test_compare_says_what_it_is_doing_when_piped():
    # piped, a long resampling is not silent: one line per step on stderr
    r = run_cli("compare", *CASES["compare"])
    assert r.returncode == 0, r.stderr
    assert "chrF2++ paired bootstrap…" in r.stderr.splitlines()
    assert "\x1b" not in r.stderr                     # no bar drawn into a log


def test_readme_lists_every_job_key():
    from celac_i18n.ops.reference import job_keys_markdown

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- job-keys:start -->\n")[1].split("<!-- job-keys:end -->")[0]
    assert section == job_keys_markdown(), \
        "README's job keys are stale: paste `python -m celac_i18n.ops.reference` there"


def test_a_misspelt_job_key_fails_before_anything_runs(tmp_path):
    jobs = tmp_path / "jobs.toml"
    jobs.write_text('output_dir = "out"\n'
                    '[[output]]\npath = "a.jsonl"\ndo = "align"\n'
                    'inputs = ["2022-2024:es", "2022-2024:zh"]\n'
                    '[[output]]\npath = "b.jsonl"\ndo = "qa"\n'
                    'inputs = ["2022-2024:es", "2022-2024:zh"]\nseverty = "critical"\n',
                    encoding="utf-8")
    r = run_cli("batch", str(jobs))
    assert r.returncode == 2
    [line] = r.stderr.splitlines()
    assert "output #2" in line and "'severty'" in line and "severity" in line
    assert not (tmp_path / "out").exists()             # nothing ran, nothing written


@pytest.mark.parametrize("args", [["corpus", "list"], ["corpus", "show", f"{PLAN}:zh"]])
def test_other_commands_follow_the_same_convention(args, tmp_path):
    r = run_cli(*args)                                   # piped: JSONL
    assert r.returncode == 0 and [json.loads(x) for x in r.stdout.splitlines()]
    out = tmp_path / "o.tsv"
    r = run_cli(*args, "-o", str(out))
    assert r.returncode == 0 and "\t" in out.read_text(encoding="utf-8").splitlines()[0]
    r = run_cli(*args, "-o", str(tmp_path / "o.csv"))
    assert r.returncode == 2 and "cannot tell the format" in r.stderr


def test_batch_summary_takes_o(tmp_path):
    jobs = tmp_path / "jobs.toml"
    jobs.write_text('output_dir = "out"\n[[output]]\npath = "zh.jsonl"\ndo = "clauses"\n'
                    'inputs = ["2022-2024:zh"]\nkind = "chapter"\n', encoding="utf-8")
    r = run_cli("batch", str(jobs), "-o", str(tmp_path / "summary.json"))
    assert r.returncode == 0, r.stderr
    [rec] = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert rec["status"] == "built" and rec["do"] == "clauses"
    lines = (tmp_path / "out" / "zh.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["id"] for x in lines] == ["I", "II", "III", "IV", "V", "VI", "VII"]


def test_a_job_file_over_a_real_public_text(tmp_path):
    """The UN Charter, chapters I–II, in es/en/zh (tests/fixtures/parallel/README.md):
    align, QA, clauses and a PDF built by batch from one job file, each output in the
    format its suffix names; the figures are the ones the stages give when called
    directly, so the operations add nothing and lose nothing."""
    par = Path(__file__).parent / "fixtures" / "parallel"
    refs = [f"{par / f'un-charter.{lang}.txt'}@{lang}" for lang in ("es", "en", "zh")]
    jobs = tmp_path / "jobs.toml"
    body = 'output_dir = "out"\n'
    for path, do, ins, extra in [("charter.jsonl", "align", refs, ""),
                                 ("charter.tmx", "align", refs[:2], ""),
                                 ("qa.json", "qa", refs[:2], 'severity = "critical"\n'),
                                 ("clauses.tsv", "clauses", refs[2:], 'kind = "all"\n'),
                                 ("charter.pdf", "pdf", refs[:2], "")]:
        body += (f'[[output]]\npath = "{path}"\ndo = "{do}"\ninputs = {json.dumps(ins)}\n'
                 + extra)
    jobs.write_text(body, encoding="utf-8")
    r = run_cli("batch", str(jobs), "--format", "json")
    assert r.returncode == 0, r.stderr
    assert [x["status"] for x in json.loads(r.stdout)] == ["built"] * 5
    out = tmp_path / "out"
    lines = [json.loads(x) for x in (out / "charter.jsonl").read_text(encoding="utf-8").splitlines()]
    header, beads = lines[0], lines[1:]
    assert header["langs"] == ["es", "en", "zh"]
    direct = Context().load_aligned
    from celac_i18n.align.clause import align_documents

    same = align_documents([direct(r) for r in refs], consistency=True, sources=refs)
    assert [b["ids"] for b in beads] == [b.record(same.langs)["ids"] for b in same.beads]
    assert all(b["shape"] == "1-1-1" for b in beads if b["kind"] != "title")
    assert (out / "charter.tmx").read_bytes().startswith(b"<?xml")
    qa = json.loads((out / "qa.json").read_text(encoding="utf-8"))
    assert qa["counts"]["by_severity"]["critical"] == 0
    rows = (out / "clauses.tsv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("id\tkind") and len(rows) - 1 == len(direct(refs[2]).units)
    assert (out / "charter.pdf").read_bytes().startswith(b"%PDF")
    # a second run finds everything up to date
    r = run_cli("batch", str(jobs), "--format", "json")
    assert [x["status"] for x in json.loads(r.stdout)] == ["up to date"] * 5


def test_corpus_knows_the_engines_the_registry_has():
    # corpus.refs keeps its own list (the corpus does not import translate): the two
    # must name the same engines, or PLAN:LANG:ENGINE would be read as a file kind
    from celac_i18n.corpus.refs import ENGINE_KINDS
    from celac_i18n.translate.registry import ENGINES

    assert set(ENGINE_KINDS) == set(ENGINES)
