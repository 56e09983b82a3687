"""Random option values and paths thrown at every command and every job-file key.

Whatever the arguments: the exit status is 0 or 2 (1 only where documented: qa
--fail-on, batch with a failed job), never a traceback; nothing changes under
corpora/ (the shipped one and the one in use, hashed before and after); nothing is
written outside the output the command was given (-o FILE, or a job file's
output_dir), and no input or job file changes."""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import io
import os
import shutil
import tempfile
from pathlib import Path

import pytest
import tomlkit
from hypothesis import HealthCheck, given, settings, strategies as st

from celac_i18n.batch.procs import LOCK_NAME
from celac_i18n.cli import main
from celac_i18n.ops import OPERATIONS
from conftest import CORPUS

FIX = Path(__file__).parent / "fixtures" / "pdf"
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


class Sandbox:
    """T/ holds S/ (cwd: in/ inputs, jobs/jobs.toml, out/) and a copy of corpora/."""

    def __init__(self) -> None:
        self.top = Path(tempfile.mkdtemp(prefix="celac-props-"))
        self.s = self.top / "s"
        (self.s / "in").mkdir(parents=True)
        (self.s / "jobs").mkdir()
        (self.s / "out").mkdir()
        for name in ("mini.es.txt", "mini.zh.txt"):
            shutil.copy(FIX / name, self.s / "in" / name)
        (self.s / "in" / "gold.jsonl").write_text(
            '{"signature": "x", "langs": ["es", "zh"]}\n'
            '{"bead": 1, "ids": {"es": ["I.1"], "zh": ["I.1"]}}\n', encoding="utf-8")
        self.corpus = self.top / "corpora"
        shutil.copytree(CORPUS, self.corpus)
        self.job = self.s / "jobs" / "jobs.toml"


def digest(root: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


BOX = Sandbox()
atexit.register(shutil.rmtree, BOX.top, True)


def refs() -> st.SearchStrategy[str]:
    inp = BOX.s / "in"
    return st.sampled_from([
        f"{inp}/mini.es.txt@es", f"{inp}/mini.zh.txt@zh", "in/mini.es.txt",
        "in/mini.zh.txt@pt", "in/gold.jsonl", "2015-2019:en", "2022-2024:fr", "missing.txt",
        str(BOX.corpus / "manifest.toml"), "x@zz", "", "-", ".", "..", "../escape.txt"])


def outputs() -> st.SearchStrategy[str]:
    return st.sampled_from([
        "out/a.json", "out/a.jsonl", "out/a.tmx", "out/a.xlf", "out/a.pdf", "out/a.html",
        "out/a.txt", "b.tsv", "../escape.json", "in/mini.es.txt", "in/mini.zh.txt",
        str(BOX.corpus / "manifest.toml"), str(BOX.corpus / "termbase.tsv"),
        str(BOX.corpus / "2022-2024" / "zz.json"), str(CORPUS / "manifest.toml"),
        str(CORPUS / "2022-2024" / "es.official.txt"), "out"])


def junk() -> st.SearchStrategy[str]:
    return st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                   max_size=8)


def values() -> st.SearchStrategy[str]:
    return st.one_of(junk(), st.integers(-3, 70).map(str), refs(), outputs(),
                     st.sampled_from(["0.5", "1e9", "nan", "all", "json", "table", "es",
                                      "zh", "es-zh", "zh=zh", "critical", "side-by-side",
                                      "scores,qa", "moved,split", "bleu,chrf", "-numbers"]))


# command → (positional argument counts, options that take a value, flags)
COMMANDS = {
    "clauses": ((1, 1), ["--kind", "--format"], []),
    "corpus list": ((0, 0), ["--format"], []),
    "corpus show": ((1, 1), ["--format"], []),
    "corpus import": ((1, 1), ["--plan", "--lang", "--kind", "--source", "--title", "--note",
                               "--engine", "--translator"], ["--force"]),
    "corpus fetch": ((1, 1), ["--lang", "--timeout", "--max-bytes"], ["--force"]),
    "translate": ((1, 1), ["--to", "--engine", "--beams", "-o", "--format"],
                  ["--zero-pad", "--save", "--no-cache"]),
    "align": ((1, 3), ["--level", "--units", "--format", "-o", "--lang-code", "--target",
                       "--min-confidence", "--engine"], ["--consistency"]),
    "align-eval": ((2, 2), ["--pair", "--level", "--format"], []),
    "score": ((2, 2), ["--src", "--format", "--metrics", "--comet", "--roundtrip"],
              ["--per-clause", "--no-zh-norm"]),
    "compare": ((3, 3), ["--metrics", "--bootstrap", "--ar", "--format"], ["--no-zh-norm"]),
    "qa": ((2, 2), ["--checks", "--severity", "--format", "-o", "--termbase", "--fail-on"], []),
    "diff": ((2, 2), ["--format", "-o", "--only", "--match"], []),
    "pdf": ((1, 3), ["--layout", "--annotate", "--score-ref", "--title", "-o"], []),
    "batch": ((0, 0), ["--format"], ["--force"]),   # --jobs > 1 spawns: seconds each
}
# plausible values, so that examples get past option parsing; junk is drawn as well
PLAUSIBLE = {
    "--kind": ["clause", "section", "chapter", "all", "official", "reference", "machine"],
    "--format": ["table", "jsonl", "json", "tsv", "tmx", "xliff", "html", "pdf", "csv", "text"],
    "--plan": ["2015-2019", "2019-2021", "2022-2024", "../2022-2024"],
    "--lang": ["es", "en", "zh", "pt", "../x"], "--to": ["en", "pt", "es", "zh"],
    "--level": ["clause", "sentence"], "--units": ["all", "clauses", "headings", "preamble"],
    "--target": ["zh", "en"], "--min-confidence": ["0", "0.5", "1", "2"],
    "--lang-code": ["zh=zh-CN", "es=es-419", "zh=x y"], "--pair": ["es-zh", "zh"],
    "--metrics": ["bleu,chrf,ter", "chrf", "ter,bleu"], "--checks": ["all", "numbers,terms",
                                                                    "-numbers"],
    "--severity": ["critical", "cosmetic"], "--fail-on": ["never", "critical", "cosmetic"],
    "--only": ["moved,split", "modified", "added"], "--match": ["0.3", "2"],
    "--layout": ["side-by-side", "interleaved", "table"],
    "--annotate": ["qa", "scores", "scores,qa"], "--jobs": ["1", "0"],
    "--timeout": ["0.5", "-1"], "--max-bytes": ["10", "0"], "--bootstrap": ["10", "5"],
    "--ar": ["10"], "--beams": ["1", "0"],
    # engines that load models (hf, ct2) take seconds to import: apertium or junk only
    "--engine": ["apertium2", "../x", "bogus", ""], "--roundtrip": ["bogus", ""],
    "--comet": ["bogus", "../x"],
}
KNOWN_PLANS = {"2022-2024", "2015-2019", "2019-2021"}
REQUIRED = {"corpus import": ["--plan", "--lang", "--kind"], "translate": ["--to"]}


@st.composite
def invocations(draw, cmd: str):
    (lo, hi), opts, flags = COMMANDS[cmd]
    args = cmd.split()
    if cmd == "batch":
        args.append(str(BOX.job))
    elif cmd == "corpus fetch":          # never a real plan: no network here
        args.append(draw(junk().filter(lambda v: v not in KNOWN_PLANS)))
    else:
        args += draw(st.lists(refs(), min_size=lo, max_size=hi))
    chosen = draw(st.lists(st.sampled_from(opts), max_size=4, unique=True)) if opts else []
    for opt in REQUIRED.get(cmd, []) + [o for o in chosen if o not in REQUIRED.get(cmd, [])]:
        if opt == "-o":
            value = draw(outputs())
        elif opt in PLAUSIBLE and (opt in ("--engine", "--roundtrip", "--comet")
                                   or draw(st.integers(0, 3))):
            value = draw(st.sampled_from(PLAUSIBLE[opt]))
        else:
            value = draw(values())
        args += [opt, value]
    for flag in draw(st.lists(st.sampled_from(flags), max_size=2, unique=True)) if flags else []:
        args.append(flag)
    if cmd == "pdf" and "-o" not in args:
        args += ["-o", draw(outputs())]
    return args


OPTION_KEYS = ["layout", "format", "level", "units", "checks", "severity", "termbase",
               "score_ref", "title", "metrics", "only", "annotate", "to", "fail_on",
               "output", "save", "corpus", "o", "Bad Key", "per_clause",
               # keys that name files: relative to the job file, never written
               "alignment", "review", "src", "kind", "pair", "clause"]


@st.composite
def job_files(draw):
    value = st.one_of(values(), st.integers(-2, 9), st.booleans(),
                      st.lists(values(), max_size=2))
    doc: dict = {}
    if draw(st.booleans()):
        doc["output_dir"] = draw(st.one_of(
            st.sampled_from(["out", ".", "..", "../out", "../in", str(BOX.corpus),
                             str(CORPUS / "2022-2024"), ""]), st.integers(0, 3)))
    entries = []
    for _ in range(draw(st.integers(1, 2))):
        e = {"path": draw(st.one_of(st.sampled_from(["a.json", "b.pdf", "c.tsv", "sub/d.txt"]),
                                    outputs(), junk(), st.just(5), st.just("jobs.toml"))),
             "do": draw(st.sampled_from([*OPERATIONS, "bake", ""])),
             "inputs": draw(st.one_of(
                 st.just([f"../in/{n}" for n in ("mini.es.txt@es", "mini.zh.txt@zh")]),
                 st.lists(refs(), max_size=3), refs()))}
        for key in draw(st.lists(st.sampled_from(OPTION_KEYS), max_size=2, unique=True)):
            e[key] = draw(value)
        if draw(st.integers(0, 9)) == 0:
            e.pop(draw(st.sampled_from(["path", "do", "inputs"])))
        entries.append(e)
    doc["output"] = entries
    return doc


def _run(args: list[str]) -> tuple[int, str]:
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(args)
            code = 0
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 1
    err.seek(0)
    return code, err.read()


def _target(args: list[str]) -> Path | None:
    return (BOX.s / args[args.index("-o") + 1]).resolve() if "-o" in args else None


def _out_dir(job: dict) -> Path:
    raw = job.get("output_dir", ".")
    return (BOX.job.parent / raw).resolve() if isinstance(raw, str) else BOX.job.parent


@pytest.mark.parametrize("cmd", sorted(set(COMMANDS) - {"batch"}))
@settings(max_examples=6, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_random_commands_are_safe(cmd, data):
    check_safe(data.draw(invocations(cmd), label="args"), {"output": []})


@settings(max_examples=20, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(args=invocations("batch"), job=job_files())
def test_random_job_files_are_safe(args, job):
    check_safe(args, job)


def check_safe(args: list[str], job: dict) -> None:
    BOX.job.write_text(tomlkit.dumps(job), encoding="utf-8")
    env = {"CELAC_I18N_CORPUS": str(BOX.corpus), "CELAC_I18N_CACHE": "off"}
    saved_env = {k: os.environ.get(k) for k in env}
    cwd = os.getcwd()
    before, shipped = digest(BOX.top), digest(CORPUS)
    os.environ.update(env)
    os.chdir(BOX.s)
    try:
        code, err = _run(args)
    finally:
        os.chdir(cwd)
        for k, v in saved_env.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
    assert "Traceback" not in err, (args, err)
    allowed = {0, 2} | ({1} if args[0] in ("batch", "qa") else set())
    assert code in allowed, (args, code, err)
    assert digest(CORPUS) == shipped, args
    after = digest(BOX.top)
    changed = {p for p in set(before) | set(after) if before.get(p) != after.get(p)}
    corpus_changes = {p for p in changed if Path(p).is_relative_to(BOX.corpus)}
    changed -= corpus_changes
    if code == 0 and (args[:2] == ["corpus", "import"] or "--save" in args):
        # the one way in: a text file of a known plan, and the manifest
        assert all(Path(p).parent.parent == BOX.corpus and Path(p).suffix == ".txt"
                   or Path(p).name in ("manifest.toml", ".manifest.toml.lock")
                   for p in corpus_changes), (args, corpus_changes)
        shutil.rmtree(BOX.corpus)
        shutil.copytree(CORPUS, BOX.corpus)
    else:
        assert not corpus_changes, (args, corpus_changes)
    if args[0] == "batch":
        root = _out_dir(job)
        assert all(Path(p).resolve().is_relative_to(root) for p in changed), (job, changed)
        # Inputs are never written; an output folder that holds them (output_dir = "../in")
        # still gets the run's lock file, which is no input.
        assert str(BOX.job) not in changed and not any(
            "/s/in/" in p and Path(p).name != LOCK_NAME for p in changed), changed
    else:
        target = _target(args)
        assert changed <= ({str(target)} if target else set()), (args, changed)
        if target and str(target) in changed:
            o = args.index("-o") + 1          # the output itself is named by -o
            named = {str((BOX.s / a.split("@")[0]).resolve())
                     for k, a in enumerate(args) if a and k != o}
            assert str(target) not in named, ("overwrote an input", args)
    # what a command wrote is cleared, so every example starts from the same tree
    for p in changed - set(before):
        with contextlib.suppress(OSError):
            os.unlink(p)
