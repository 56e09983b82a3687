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


def _plan_sources(plan: str, manifest) -> list:
    """The entries a rendering made on demand may be made from (never a machine one)."""
    return [e for e in manifest.find(plan) if e.file and e.kind != "machine"]


def fingerprint(ref: str, ctx, hashes=None) -> dict:
    """What an input resolves to, the hash of its content and, for corpus references,
    the manifest metadata (and the engine signature for machine renderings) and each
    corpus file verified against its record (``verified``: ref, sha256, recorded,
    status ``verified`` or ``modified``). ``hashes``: a ``corpus.verify.HashCache``."""
    from ..corpus.refs import KIND_PREFERENCE, parse_ref, resolve_entry
    from ..corpus.verify import HashCache, display_ref, entry_path, mismatch

    r = parse_ref(ref)
    extra: dict = {}
    m = ctx.manifest if r.plan else None
    entries: list = []
    if r.plan:
        extra["manifest"] = _plan_metadata(r.plan, m)
        if r.kind and r.kind not in KIND_PREFERENCE:
            extra["engine"] = _engine_signature(r.plan, r.lang, r.kind, m)
            try:
                entry, m = resolve_entry(r, m)
                files = [str(entry.path(m.root))] if entry.file else _plan_files(r.plan, m)
                entries = [entry] if entry.file else _plan_sources(r.plan, m)
            except UserError:
                # made on demand from the plan's texts: any of them may be the source
                files, entries = _plan_files(r.plan, m), _plan_sources(r.plan, m)
        else:
            entry, m = resolve_entry(r, m)
            if not entry.file:
                raise UserError(f"{ref}: {entry.ref} is known but not shipped")
            entries = [entry]
            files = [str(entry_path(entry, m.root))]     # inside corpora/, or refused
    else:
        files = [str(Path(r.path).resolve())]
    hashes = hashes or HashCache(None)
    digests = {}
    for f in files:
        try:
            digests[f] = hashes.sha256(Path(f))
        except FileNotFoundError:
            raise UserError(f"{ref}: input file {f} not found") from None
    out = {"ref": ref, "files": digests, **extra}
    if entries:
        out["verified"] = []
        for e in entries:
            actual = digests[str(e.path(m.root))]
            why = mismatch(e, actual)
            out["verified"].append({"ref": display_ref(e), "sha256": actual,
                                    "recorded": e.sha256,
                                    "status": "modified" if why else "verified",
                                    **({"why": f"{e.file}: {why}"} if why else {})})
    return out


def check_provenance(job: Job, inputs: list[dict], ctx) -> None:
    """Before building: a corpus input not as recorded fails a strict job (the default,
    and any job under --strict-provenance) with one line; a lenient one is told."""
    bad = [v for i in inputs for v in i.get("verified", ()) if v["status"] != "verified"]
    if not bad:
        return
    what = "; ".join(v["why"] for v in bad)
    if job.provenance == "strict" or ctx.strict_provenance:
        raise UserError(f"not built: {what} (provenance is strict; `celac-i18n corpus "
                        "verify` lists every problem, provenance = \"lenient\" builds it "
                        "labelled 'modified')")
    ctx.say(f"warning: {job.path.name}: {what}; built labelled 'modified' "
            "(provenance = \"lenient\")")


def job_key(job: Job, ctx, hashes=None) -> tuple[str, dict]:
    """The operation as data (name, options, toolkit version) plus the hashes of its
    declared inputs, and of what the context adds: the termbase for operations that
    read one, the sentence encoder for operations that judge meaning, the templates for
    typeset outputs. Its corpus inputs are verified first (``check_provenance``).
    ``hashes``: a ``corpus.verify.HashCache`` (a run opens one for all its jobs); by
    default one is opened for this job."""
    from ..corpus.verify import HashCache

    op = job.operation()
    own = hashes is None
    hashes = HashCache(ctx.cache_path) if own else hashes   # size/mtime/ctime/inode
    try:
        inputs = [fingerprint(i, ctx, hashes) for i in op.declared_inputs()]
    finally:
        if own:
            hashes.close()
    check_provenance(job, inputs, ctx)
    what = {**op.config(), "format": job.fmt, "inputs": inputs}
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
