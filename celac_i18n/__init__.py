"""celac-i18n: align, score, diff and typeset the languages of China-CELAC plans.

The library calls behind the CLI, importable from here::

    from celac_i18n import load, align_documents, score_documents

    es, en = load("2022-2024:es"), load("2022-2024:en")
    alignment = align_documents([es, en])

Each name is the stage's own function (its real signature and docstring), imported on
first use (PEP 562, ``celac_i18n.lazy``): ``import celac_i18n`` imports no stage and
no heavy library (lingua, lxml, sacrebleu, torch, typst, ...).
"""

from .lazy import exports
from .version import __version__

_EXPORTS = {
    # documents
    "load": "celac_i18n.corpus.refs:load",
    "parse_text": "celac_i18n.parse.parser:parse",
    "Document": "celac_i18n.model:Document",
    "UserError": "celac_i18n.errors:UserError",
    # stages
    "align_documents": "celac_i18n.align.clause:align_documents",
    "score_documents": "celac_i18n.score.metrics:score_documents",
    "compare_documents": "celac_i18n.score.significance:compare_documents",
    "run_qa": "celac_i18n.qa.runner:run_qa",
    "diff_documents": "celac_i18n.diff.changes:diff_documents",
    "history": "celac_i18n.diff.history:history",
    "translation_session": "celac_i18n.translate.registry:session",
    "translate_document": "celac_i18n.translate.document:translate_document",
    "document_text": "celac_i18n.translate.layout:document_text",
    "render_pdf": "celac_i18n.typeset.edition:render_pdf",
    "render_redline_pdf": "celac_i18n.typeset.redline:render_redline_pdf",
    # operations: what the CLI and batch run
    "Context": "celac_i18n.ops.context:Context",
    "build_operation": "celac_i18n.ops:build",
}
__getattr__, __dir__ = exports(globals(), _EXPORTS)
__all__ = ["Context", "Document", "UserError", "__version__", "build_operation", "align_documents", "compare_documents",
           "diff_documents", "document_text", "history", "load", "parse_text",
           "render_pdf", "render_redline_pdf", "run_qa", "score_documents",
           "translate_document", "translation_session"]
