"""`celac-i18n score HYP REF` and `celac-i18n compare SYS1 SYS2 REF`."""

from __future__ import annotations

import contextlib
import csv
import json
import sys

import click

from ..errors import UserError
from .options import pick_format


def _metrics(spec: str) -> tuple[str, ...]:
    from ..score.metrics import METRICS

    names = tuple(m.strip().lower().replace("chrf++", "chrf") for m in spec.split(",") if m.strip())
    bad = [m for m in names if m not in METRICS]
    if bad or not names:
        raise UserError(f"--metrics: unknown {', '.join(bad) or 'empty list'} "
                        f"(known: {', '.join(METRICS)})")
    return names


_METRICS_OPT = click.option("--metrics", default="bleu,chrf,ter", show_default=True,
                            help="Comma-separated: bleu, chrf (chrF++), ter.")
_NORM_OPT = click.option("--no-zh-norm", is_flag=True,
                         help="Chinese BLEU on the raw text: no folding/padding of — “ ” … "
                              "(sacrebleu issue #298); the signature then lacks norm:zh-punct.")


@contextlib.contextmanager
def _progress_bar():
    """progress(what, done, total) drawing a bar on stderr while scoring or resampling
    runs; on a terminal only (as `translate` does), and gone when the step ends."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                               TimeElapsedColumn)

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), console=Console(stderr=True), transient=True)
    task = bar.add_task("", total=None)
    with bar:
        yield lambda what, done, total: bar.update(task, description=what, completed=done,
                                                   total=total)


def _warn(msgs):
    for m in msgs:
        click.echo(f"celac-i18n: warning: {m}", err=True)


@click.command("score")
@click.argument("hyp")
@click.argument("ref")
@click.option("--src", default=None, help="The source document (needed by --comet and --roundtrip).")
@click.option("--per-clause", is_flag=True, help="Also score every unit (clause, heading) on its own.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default=None,
              help="Output format (default: table on a terminal, json when piped).")
@_METRICS_OPT
@_NORM_OPT
@click.option("--comet", "comet_model", default=None, metavar="PATH",
              help="Also compute COMET with this local checkpoint (needs unbabel-comet and --src).")
@click.option("--roundtrip", "rt_engine", default=None, metavar="ENGINE",
              help="Also translate HYP back into the source language with ENGINE and report "
                   "chrF++ against --src (reference-free estimate).")
def score(hyp, ref, src, per_clause, fmt, metrics, no_zh_norm, comet_model, rt_engine):
    """BLEU, chrF++ and TER of the rendering HYP against the reference REF.

    Units are paired by id; a reference unit HYP lacks counts as an empty hypothesis.
    Every score carries sacrebleu's signature plus ours.
    """
    from ..corpus.refs import load
    from ..score.metrics import label, score_documents

    names = _metrics(metrics)
    fmt = pick_format(fmt, ("table", "json"))
    if (comet_model or rt_engine) and not src:
        raise UserError("--comet and --roundtrip need the source document: add --src SRC")
    if comet_model:
        from ..score import comet
        comet.check(comet_model)           # fail fast, before any scoring
    hyp_doc, ref_doc = load(hyp), load(ref)
    with _progress_bar() as progress:
        rep = score_documents(hyp_doc, ref_doc, names, per_clause, not no_zh_norm, hyp, ref,
                              progress=progress)
    _warn(rep.warnings)
    extra = []                             # (metric label, score, signature)
    seg_extra: dict[str, dict[str, float]] = {}
    if src:
        src_doc = load(src)
        if comet_model:
            from ..score import comet
            from ..score.pairing import TEXT_KINDS
            units = [u for u in ref_doc.units if u.kind in TEXT_KINDS and src_doc.get(u.id)]
            hyps = [hyp_doc.get(u.id).text if hyp_doc.get(u.id) else "" for u in units]
            sys_s, segs, sig = comet.comet_scores([src_doc[u.id].text for u in units], hyps,
                                                  [u.text for u in units], comet_model)
            extra.append(("COMET", sys_s, sig))
            for u, v in zip(units, segs):
                seg_extra.setdefault(u.id, {})["COMET"] = v
        if rt_engine:
            from ..score.roundtrip import roundtrip
            s, per, sig = roundtrip(hyp_doc, src_doc, rt_engine)
            extra.append(("roundtrip-chrF2++", s.score, sig))
            for uid, v in per.items():
                seg_extra.setdefault(uid, {})["roundtrip-chrF2++"] = v
    corpus_rows = [{"metric": s.label or label(s.metric, rep.lang), "score": round(s.score, 2),
                    "signature": s.signature} for s in rep.corpus]
    corpus_rows += [{"metric": m, "score": round(v, 2), "signature": sig} for m, v, sig in extra]
    seg_rows = []
    for seg in rep.segments:
        row = {"id": seg.id, "kind": seg.kind, "status": seg.status}
        row.update({label(k, rep.lang): round(v, 2) for k, v in seg.scores.items()})
        row.update({k: round(v, 2) for k, v in seg_extra.get(seg.id, {}).items()})
        seg_rows.append(row)
    seg_sigs = {label(k, rep.lang): v for k, v in rep.sentence_signatures.items()}
    out = sys.stdout
    if fmt == "json":
        json.dump({"hyp": hyp, "ref": ref, "lang": rep.lang, "corpus": corpus_rows,
                   **({"segments": seg_rows, "segment_signatures": seg_sigs} if per_clause else {}),
                   "warnings": rep.warnings}, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "csv":
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["scope", "id", "kind", "status", "metric", "score", "signature"])
        for r in corpus_rows:
            w.writerow(["corpus", "", "", "", r["metric"], r["score"], r["signature"]])
        for r in seg_rows:
            for k, v in r.items():
                if k in ("id", "kind", "status"):
                    continue
                w.writerow(["unit", r["id"], r["kind"], r["status"], k, v, seg_sigs.get(k, "")])
            if not any(k not in ("id", "kind", "status") for k in r):
                w.writerow(["unit", r["id"], r["kind"], r["status"], "", "", ""])
    else:
        from ..render.records import write_records
        write_records(corpus_rows, "table", ("metric", "score", "signature"), out=out,
                      title=f"{hyp} vs {ref} ({rep.lang}, {len(ref_doc.units)} units)",
                      wrap=("signature",))
        if per_clause:
            cols = ["id", "kind", "status"] + [label(n, rep.lang) for n in names] + \
                [m for m, _, _ in extra]
            write_records(seg_rows, "table", cols, out=out, title="per unit")
            for k, v in seg_sigs.items():
                out.write(f"{k} (per unit): {v}\n")


@click.command("compare")
@click.argument("sys1")
@click.argument("sys2")
@click.argument("ref")
@_METRICS_OPT
@_NORM_OPT
@click.option("--bootstrap", "n_bs", type=click.IntRange(10, 100000), default=1000,
              show_default=True, help="Paired bootstrap resamples.")
@click.option("--ar", "n_ar", type=click.IntRange(10, 100000), default=10000, show_default=True,
              help="Approximate randomisation trials.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default=None,
              help="Output format (default: table on a terminal, json when piped).")
def compare(sys1, sys2, ref, metrics, no_zh_norm, n_bs, n_ar, fmt):
    """Is SYS2 better than SYS1 against REF? Paired significance per metric.

    Paired bootstrap resampling gives each system's mean with a 95% confidence interval
    and a p-value; paired approximate randomisation a second p-value (sacrebleu's
    PairedTest, seed in the signature). For TER lower is better.
    """
    from ..corpus.refs import load
    from ..score.significance import compare_documents

    names = _metrics(metrics)
    fmt = pick_format(fmt, ("table", "json"))
    d1, d2, dr = load(sys1), load(sys2), load(ref)
    with _progress_bar() as progress:
        comps, n, warnings = compare_documents(d1, d2, dr, names, n_bs, n_ar, not no_zh_norm,
                                               progress=progress)
    _warn(warnings)
    rows = [c.record() for c in comps]
    for r, c in zip(rows, comps):
        better = (c.delta < 0) if c.metric == "ter" else (c.delta > 0)
        if not c.delta:
            r["verdict"] = "same score"
        else:
            r["verdict"] = ("sys2 better" if better else "sys1 better") + \
                (" (p<0.05)" if c.p_ar < 0.05 and c.p_bootstrap < 0.05 else " (not significant)")
    cols = ("metric", "sys1", "sys1_ci95", "sys2", "sys2_ci95", "delta", "p_bootstrap", "p_ar",
            "verdict", "signature")
    if fmt == "json":
        json.dump({"sys1": sys1, "sys2": sys2, "ref": ref, "segments": n, "results": rows},
                  sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif fmt == "csv":
        w = csv.DictWriter(sys.stdout, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    else:
        from ..render.records import write_records
        write_records(rows, "table", cols[:-1], title=f"sys1 = {sys1}  sys2 = {sys2}  "
                      f"ref = {ref} ({n} units)")
        for r in rows:
            sys.stdout.write(f"{r['metric']}: {r['signature']}\n")
