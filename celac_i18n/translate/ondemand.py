"""Machine renderings named by reference (``2022-2024:en:apertium``), made on demand.

Used by ``corpus.refs.load`` when no shipped file exists for that engine: the plan's
best text the engine can read (official first, then reference; never another machine
rendering) is translated, through the cache, so a second request costs milliseconds.
"""

from __future__ import annotations

from ..corpus.refs import KIND_PREFERENCE
from ..errors import UserError

# (the corpus never imports this module: ``corpus.refs.load`` is handed a callback)


def pick_source(plan: str, tgt: str, engine, manifest=None):
    """The manifest entry to translate from: shipped, not machine, a pair the engine has."""
    from ..corpus.manifest import Manifest

    manifest = manifest or Manifest()
    pairs = engine.pairs()
    found = [e for e in manifest.find(plan) if e.file and e.kind != "machine" and e.lang != tgt
             and (pairs is None or (e.lang, tgt) in pairs)]
    if not found:
        have = ", ".join(f"{a}→{b}" for a, b in sorted(pairs or ())) or "any"
        raise UserError(f"{plan}:{tgt}:{engine.name}: no shipped text of plan {plan} that "
                        f"{engine.name} can translate into '{tgt}' (it has: {have})"
                        + engine.pair_hint("es", tgt))
    found.sort(key=lambda e: (KIND_PREFERENCE.index(e.kind), e.lang != "es"))
    return found[0]


def machine_rendering(plan: str, tgt: str, engine, cache, manifest, load):
    """Plan ``plan`` rendered into ``tgt`` by ``engine`` (through ``cache``) from its best
    shipped text in ``manifest``, read with ``load(ref)``."""
    from .document import translate_document

    entry = pick_source(plan, tgt, engine, manifest)
    return translate_document(load(entry.ref), tgt, engine, cache=cache)
