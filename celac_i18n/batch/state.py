"""Up-to-date check: a small state file beside each output records the hash of what
made it (input contents, options, toolkit version, templates) and of the output itself.

The state is written only after the output is complete and renamed into place, so a
run killed at any point leaves either a complete output with its state, an output
without state (rebuilt next time), or no output at all.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path

from .. import __version__
from ..errors import UserError
from ..fsutil import sha256_file, write_text_atomic
from .jobs import Job


def state_path(output: Path) -> Path:
    return output.parent / f".{output.name}.celac-state.json"


def _plan_files(plan: str) -> list[str]:
    from ..corpus.manifest import Manifest

    m = Manifest()
    return sorted(str(e.path(m.root)) for e in m.find(plan) if e.file)


def _plan_metadata(plan: str) -> list[dict]:
    """The manifest entries of a plan (kind, title, notes... appear on PDF title pages)."""
    import dataclasses

    from ..corpus.manifest import Manifest

    return [json.loads(json.dumps(dataclasses.asdict(e), default=str, sort_keys=True))
            for e in Manifest().find(plan)]


def _engine_signature(plan: str, lang: str, engine_name: str) -> str:
    """Engine, version, model and source of a machine rendering made on demand."""
    try:
        from ..translate import get_engine
        from ..translate.ondemand import pick_source

        with get_engine(engine_name) as engine:
            entry = pick_source(plan, lang, engine)
            return f"{entry.ref}|{engine.signature(entry.lang, lang)}"
    except Exception as e:  # no engine installed: the build reports it; key on that
        return f"unavailable: {type(e).__name__}: {e}"


def fingerprint(ref: str) -> dict:
    """What an input resolves to, the hash of its content and, for corpus references,
    the manifest metadata (and the engine signature for machine renderings)."""
    from ..corpus.refs import KIND_PREFERENCE, parse_ref, resolve_entry

    r = parse_ref(ref)
    extra: dict = {}
    if r.plan:
        extra["manifest"] = _plan_metadata(r.plan)
        if r.kind and r.kind not in KIND_PREFERENCE:
            extra["engine"] = _engine_signature(r.plan, r.lang, r.kind)
        if r.kind and r.kind not in KIND_PREFERENCE:
            try:
                entry, m = resolve_entry(r)
                files = [str(entry.path(m.root))] if entry.file else _plan_files(r.plan)
            except UserError:
                # made on demand from the plan's texts: any of them may be the source
                files = _plan_files(r.plan)
        else:
            entry, m = resolve_entry(r)
            if not entry.file:
                raise UserError(f"{ref}: {entry.ref} is known but not shipped")
            files = [str(entry.path(m.root))]
    else:
        files = [str(Path(r.path).resolve())]
    hashes = {}
    for f in files:
        try:
            hashes[f] = sha256_file(f)
        except FileNotFoundError:
            raise UserError(f"{ref}: input file {f} not found") from None
    return {"ref": ref, "files": hashes, **extra}


def _uses_termbase(job: Job) -> bool:
    """qa checks terms; the aligner (align, and pdf, which aligns) and diff's key terms
    read the termbase too."""
    return job.do in ("qa", "align", "pdf", "diff")


def job_key(job: Job) -> tuple[str, dict]:
    inputs = [fingerprint(i) for i in job.inputs]
    what = {"do": job.do, "inputs": inputs, "options": job.options,
            "toolkit": __version__}
    if _uses_termbase(job):
        from ..termbase import default_path

        tb = Path(job.options.get("termbase") or default_path())
        what["termbase"] = {str(tb): sha256_file(tb) if tb.is_file() else None}
    if job.options.get("score_ref"):
        what["score_ref"] = fingerprint(str(job.options["score_ref"]))
    if job.do == "pdf":
        from ..typeset.compile import templates_hash

        what["templates"] = templates_hash()
    blob = json.dumps(what, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest(), what


def is_up_to_date(job: Job, key: str) -> bool:
    sp = state_path(job.path)
    try:
        st = json.loads(sp.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return False
    if st.get("key") != key or not job.path.is_file():
        return False
    # An output edited or truncated by hand since is rebuilt.
    return sha256_file(job.path) == st.get("output_sha256")


def write_state(job: Job, key: str, what: dict, seconds: float) -> None:
    write_text_atomic(state_path(job.path), json.dumps(
        {"key": key, "output": job.path.name, "output_sha256": sha256_file(job.path),
         "seconds": round(seconds, 3), **what}, indent=1, ensure_ascii=False) + "\n")


def clear_stale(job: Job) -> None:
    """Remove temp files a killed run left beside this output (never the output)."""
    for p in job.path.parent.glob(f".{job.path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            p.unlink()
