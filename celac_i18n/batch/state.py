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

from ..errors import UserError
from ..fsutil import sha256_file, write_text_atomic
from .jobs import Job


def state_path(output: Path) -> Path:
    return output.parent / f".{output.name}.celac-state.json"


def _plan_files(plan: str, manifest) -> list[str]:
    return sorted(str(e.path(manifest.root)) for e in manifest.find(plan) if e.file)


def _plan_metadata(plan: str, manifest) -> list[dict]:
    """The manifest entries of a plan (kind, title, notes... appear on PDF title pages)."""
    import dataclasses

    return [json.loads(json.dumps(dataclasses.asdict(e), default=str, sort_keys=True))
            for e in manifest.find(plan)]


def _engine_signature(plan: str, lang: str, engine_name: str, manifest) -> str:
    """Engine, version, model and source of a machine rendering made on demand."""
    try:
        from ..translate import get_engine
        from ..translate.ondemand import pick_source

        with get_engine(engine_name) as engine:
            entry = pick_source(plan, lang, engine, manifest)
            return f"{entry.ref}|{engine.signature(entry.lang, lang)}"
    except Exception as e:  # no engine installed: the build reports it; key on that
        return f"unavailable: {type(e).__name__}: {e}"


def fingerprint(ref: str, ctx) -> dict:
    """What an input resolves to, the hash of its content and, for corpus references,
    the manifest metadata (and the engine signature for machine renderings)."""
    from ..corpus.refs import KIND_PREFERENCE, parse_ref, resolve_entry

    r = parse_ref(ref)
    extra: dict = {}
    m = ctx.manifest if r.plan else None
    if r.plan:
        extra["manifest"] = _plan_metadata(r.plan, m)
        if r.kind and r.kind not in KIND_PREFERENCE:
            extra["engine"] = _engine_signature(r.plan, r.lang, r.kind, m)
            try:
                entry, m = resolve_entry(r, m)
                files = [str(entry.path(m.root))] if entry.file else _plan_files(r.plan, m)
            except UserError:
                # made on demand from the plan's texts: any of them may be the source
                files = _plan_files(r.plan, m)
        else:
            entry, m = resolve_entry(r, m)
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


def job_key(job: Job, ctx) -> tuple[str, dict]:
    """The operation as data (name, options, toolkit version) plus the hashes of its
    declared inputs, and of what the context adds: the termbase for operations that
    read one, the sentence encoder for operations that judge meaning, the templates for
    typeset outputs."""
    op = job.operation()
    what = {**op.config(), "format": job.fmt,
            "inputs": [fingerprint(i, ctx) for i in op.declared_inputs()]}
    if op.uses_termbase:
        what["termbase"] = ctx.termbase.fingerprint
    if "embed_model" in op.values:
        from ..semantic.load import encoder_id

        what["encoder"] = encoder_id(op.values["embed_model"] or ctx.embed_model)
    if job.fmt == "pdf":
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
