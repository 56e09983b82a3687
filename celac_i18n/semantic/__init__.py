"""The semantic layer: sentence encoders, their embedding cache and similarity, shared
by align, diff, qa, review, score and search (nothing else imports an encoder)."""

from ..lazy import exports

__getattr__, __dir__ = exports(globals(), {
    "Semantic": "celac_i18n.semantic.layer:Semantic",
    "EmbeddingCache": "celac_i18n.semantic.cache:EmbeddingCache",
    "load_encoder": "celac_i18n.semantic.load:load_encoder",
    "Baseline": "celac_i18n.semantic.similarity:Baseline",
    "baseline": "celac_i18n.semantic.similarity:baseline",
    "unrelated_level": "celac_i18n.semantic.similarity:unrelated_level",
})
