"""A reference-free estimate by round trip: translate the rendering back into the source
language with a machine engine and score the result against the source (chrF++).

A high round-trip chrF says little (an engine can undo its own errors); a low one points
at clauses worth a human look. The engine comes from celac_i18n.translate, which may be
absent or not yet able to translate this pair: then a UserError says so.
"""

from __future__ import annotations

from .metrics import score_metric


def _back_translate(texts: list[str], src_lang: str, tgt_lang: str, engine: str,
                    open_engine=None):
    """``texts`` (in ``src_lang``) translated into ``tgt_lang`` with the named engine,
    through the translation cache when there is one; and the engine's signature."""
    from ..errors import UserError

    if open_engine is None:
        try:
            from ..translate import session as open_engine
        except ImportError:
            raise UserError("round trip needs a translation engine; celac_i18n.translate "
                            "is not available in this build") from None
    try:
        with open_engine(engine) as (eng, cache):
            try:
                out = list(eng.translate(texts, src_lang, tgt_lang, cache=cache))
            except UserError:
                raise
            except Exception as e:
                raise UserError(f"round trip: {engine} cannot translate {src_lang}→{tgt_lang}: "
                                f"{e}") from None
            sig = eng.signature(src_lang, tgt_lang)
    except UserError:
        raise
    except Exception as e:  # an engine that cannot start is the user's setup: say so
        raise UserError(f"round trip: engine {engine!r} unavailable: {e}") from None
    return out, sig          # nested inside our signature


def roundtrip(hyp_doc, src_doc, engine: str = "apertium", open_engine=None):
    """Corpus chrF++ and per-unit chrF++ of back(hyp) against the source, paired by id.
    ``open_engine(name)``: a context manager giving (engine, cache), e.g.
    ``ops.Context.engine`` (default: ``translate.session``, no cache).
    Returns (score, per_unit {id: chrF}, signature)."""
    from .pairing import TEXT_KINDS, pair_units

    pairs = [p for p in pair_units(src_doc, hyp_doc, TEXT_KINDS) if p.complete]
    if not pairs:
        from ..errors import UserError

        raise UserError("round trip: no unit of the rendering has the id of a source unit")
    back, eng_sig = _back_translate([p.tgt_text for p in pairs], hyp_doc.lang,
                                    src_doc.lang, engine, open_engine)
    srcs = [p.src_text for p in pairs]
    extra = {"roundtrip": f"{hyp_doc.lang}-{src_doc.lang}", "engine": eng_sig}
    # one extraction of chrF statistics gives the corpus and the per-unit scores
    score, per_unit, _ = score_metric("chrf", back, srcs, src_doc.lang, per_segment=True,
                                      extra=extra)
    return score, {p.id: v for p, v in zip(pairs, per_unit)}, score.signature
