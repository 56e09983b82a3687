"""The context an operation runs in: corpus and manifest, termbase, translation cache,
engine factory, reviewer, and where messages and progress go.

Front ends build it (the CLI from its flags and environment, batch from the job file,
the review app from its workspace); nothing below reads settings from the
environment. A context is plain data (``settings()``) so a batch worker on another
process or machine rebuilds the same one.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import Callable

Say = Callable[[str], None]
# progress(what, done, total): a step's progress (total None while unknown)
Progress = Callable[[str, int, "int | None"], None]


def _quiet(_msg: str) -> None:
    pass


@dataclass
class Context:
    corpus: Path | None = None          # corpora/ folder (None: the shipped one)
    termbase_path: Path | None = None   # None: the corpus's termbase.tsv
    cache_path: Path | None = None      # translation cache (None: no cache)
    ct2_dir: Path | None = None         # where CTranslate2 conversions are kept
    font_dirs: tuple[str, ...] = ()     # extra font folders for the PDF renderer
    reviewer: str | None = None         # who records review decisions
    embed_model: str | None = None      # sentence encoder: None = embedded default,
    #                                     "none" = off, else a transformers directory
    strict_provenance: bool = False     # a corpus text not as recorded is an error
    say: Say = field(default=_quiet, repr=False, compare=False)
    progress: Progress | None = field(default=None, repr=False, compare=False)

    # -- what a worker needs to rebuild this context ------------------------------------
    _SETTINGS = ("corpus", "termbase_path", "cache_path", "ct2_dir", "font_dirs", "reviewer",
                 "embed_model", "strict_provenance")

    def settings(self) -> dict:
        return {k: (str(v) if isinstance(v, Path) else v) for k, v in
                ((f.name, getattr(self, f.name)) for f in fields(self))
                if k in self._SETTINGS}

    @classmethod
    def from_settings(cls, d: dict, **kw) -> "Context":
        paths = {"corpus", "termbase_path", "cache_path", "ct2_dir"}
        return cls(**{k: (Path(v) if k in paths and v else v) for k, v in d.items()
                      if k in cls._SETTINGS}, **kw)

    # -- corpus and termbase -------------------------------------------------------------
    @cached_property
    def manifest(self):
        from ..corpus.manifest import Manifest

        return Manifest(self.corpus)

    @property
    def corpus_root(self) -> Path:
        from ..corpus.manifest import shipped_corpus_dir

        return Path(self.corpus) if self.corpus else shipped_corpus_dir()

    @property
    def termbase_file(self) -> Path:
        return Path(self.termbase_path) if self.termbase_path else \
            self.corpus_root / "termbase.tsv"

    @cached_property
    def termbase(self):
        """The termbase every operation uses: a named one must exist; the corpus's own
        may be missing (then no terms)."""
        from ..termbase import corpus_termbase, load_termbase

        if self.termbase_path is None:
            return corpus_termbase(self.termbase_file)
        return load_termbase(self.termbase_file)

    def load(self, ref: str):
        """The document a reference names, read through this context's corpus (a
        machine rendering named ``PLAN:LANG:ENGINE`` is made on demand)."""
        from ..corpus.refs import load

        return load(ref, manifest=self.manifest, machine=self.machine_rendering,
                    strict=self.strict_provenance, say=self._say_once)

    def _say_once(self, msg: str) -> None:
        """A provenance warning once per context, however often the text is read."""
        said = self.__dict__.setdefault("_said", set())
        if msg not in said:
            said.add(msg)
            self.say(msg)

    def load_aligned(self, ref: str):
        """As ``load``, but a file without numbering is read as plain paragraphs (what
        the aligner and QA take)."""
        from ..align.segments import load_paragraphs

        return load_paragraphs(ref, self.load)

    # -- the semantic layer ----------------------------------------------------------------
    def semantic(self, spec: str | None = None):
        """The semantic layer (``semantic.Semantic``) for the encoder ``spec`` names
        (default: this context's ``embed_model``), or None when the cue is off. One per
        encoder per context: its vectors are remembered across operations, and kept in
        the cache file (``cache_path``) across runs."""
        spec = spec if spec is not None else self.embed_model
        layers = self.__dict__.setdefault("_semantic", {})
        if spec not in layers:
            from ..semantic import EmbeddingCache, Semantic, load_encoder

            encoder = load_encoder(spec)
            if encoder is None:
                layers[spec] = None
            else:
                cache = EmbeddingCache(self.cache_path, warn=self.say) \
                    if self.cache_path is not None else None
                # through the context, so a front end that swaps say/progress later
                # (the CLI's bar) is followed
                layers[spec] = Semantic(encoder, cache, say=lambda m: self.say(m),
                                        progress=self._semantic_progress)
        return layers[spec]

    def _semantic_progress(self, what: str, done: int, total) -> None:
        if self.progress is not None:
            self.progress(what, done, total)
        elif done == 0:
            self.say(what)

    # -- engines and the translation cache -----------------------------------------------
    def open_cache(self, use: bool = True):
        if not use or self.cache_path is None:
            return None
        from ..translate.cache import TranslationCache

        return TranslationCache(self.cache_path)

    @contextlib.contextmanager
    def engine(self, name: str | None, model: str | None = None, *, use_cache: bool = True,
               **options):
        """``with ctx.engine("apertium") as (engine, cache):`` both closed on leaving."""
        try:
            from ..translate import session
        except ImportError as e:
            from ..errors import UserError

            raise UserError(f"this needs a translation engine, and the translate stage "
                            f"cannot be loaded ({e})") from None
        if name == "ct2" and self.ct2_dir:
            options.setdefault("ct2_dir", self.ct2_dir)
        with session(name, model, cache=self.open_cache(use_cache), **options) as pair:
            yield pair

    def machine_rendering(self, plan: str, lang: str, engine_name: str):
        from ..translate.ondemand import machine_rendering

        with self.engine(engine_name) as (engine, cache):
            return machine_rendering(plan, lang, engine, cache, self.manifest, self.load)
