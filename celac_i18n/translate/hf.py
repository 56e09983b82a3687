"""Neural translation with transformers: MarianMT, NLLB-200 and M2M100 checkpoints.

Models come from a local directory or the local Hugging Face cache only: nothing is
downloaded at run time (``local_files_only``; HF_HUB_OFFLINE is respected). Decoding
is deterministic (beam search, no sampling); batches are sorted by length so padding
stays small; inputs longer than the model's limit are truncated and reported.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ..errors import UserError
from ..fsutil import hash_file_into
from .base import Engine

# Our languages → NLLB-200 (FLORES) codes; M2M100 uses the plain ISO codes.
NLLB_CODES = {"es": "spa_Latn", "en": "eng_Latn", "pt": "por_Latn", "zh": "zho_Hans"}
# Target tokens of multilingual Marian models (">>por<<").
MARIAN_TARGETS = {"es": ("spa",), "en": ("eng",), "pt": ("por", "pt_br", "pt"),
                  "zh": ("cmn_Hans", "zho_Hans", "cmn", "zho")}
# The model to look for when none is named: OPUS-MT where a pair exists, else NLLB.
DEFAULT_MODELS = {("es", "en"): "Helsinki-NLP/opus-mt-es-en",
                  ("en", "es"): "Helsinki-NLP/opus-mt-en-es",
                  ("es", "zh"): "Helsinki-NLP/opus-mt-es-zh",
                  ("zh", "es"): "Helsinki-NLP/opus-mt-zh-es"}
FALLBACK_MODEL = "facebook/nllb-200-distilled-600M"
DEFAULT_BEAMS = 4


def how_to_get(name: str) -> str:
    return (f"on a connected machine run `huggingface-cli download {name}` (or "
            f"`hf download {name} --local-dir DIR`), copy the Hugging Face cache or DIR "
            "here, then pass --model PATH_OR_NAME")


def resolve_model(model: str | None, src: str | None = None, tgt: str | None = None) -> Path:
    """A local directory holding the model: a path, or a name found in the local HF cache."""
    name = model or DEFAULT_MODELS.get((src, tgt), FALLBACK_MODEL)
    path = Path(name).expanduser()
    if path.is_dir():
        if not (path / "config.json").exists():
            raise UserError(f"{path}: not a transformers model directory (no config.json)")
        return path
    # "owner/name" is a Hub name; anything else that is not a directory is a bad path.
    if model and not re.fullmatch(r"[\w-][\w.-]*/[\w.-]+|[\w-][\w.-]*", model):
        raise UserError(f"{model}: no such model directory")
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(name, local_files_only=True))
    except Exception:
        what = f"model {name}" + ("" if model else f" (the default for {src}→{tgt})")
        raise UserError(f"{what} is not available offline; {how_to_get(name)}") from None


def model_revision(path: Path) -> str:
    """A revision that changes when the weights do: the HF snapshot hash, else a file hash."""
    parts = path.resolve().parts
    if "snapshots" in parts[:-1]:
        return parts[parts.index("snapshots") + 1][:12]
    h = hashlib.sha256()
    for f in sorted(path.iterdir()):
        if f.is_file() and (f.suffix in (".json", ".spm", ".model", ".bin", ".safetensors")):
            h.update(f.name.encode())
            hash_file_into(h, f)
    return h.hexdigest()[:12]


def model_kind(config, tok, path) -> str:
    kind = config.model_type
    if kind == "m2m_100" and "nllb" in type(tok).__name__.lower():
        kind = "nllb"
    if kind not in ("marian", "m2m_100", "nllb"):
        raise UserError(f"{path}: model type '{config.model_type}' is not supported "
                        "(MarianMT, NLLB-200 and M2M100 are)")
    return kind


class HFEngine(Engine):
    name = "hf"

    def __init__(self, model: str | None = None, beams: int = DEFAULT_BEAMS,
                 batch_size: int = 16, device: str | None = None, max_length: int | None = None):
        super().__init__(model)
        if beams < 1:
            raise UserError("--beams must be at least 1")
        self.beams = beams
        self.batch_size = batch_size
        self.device_name = device
        self.max_length = max_length
        self._loaded = None          # (path, tokenizer, model, kind)
        local = Path(model).expanduser() if model else None
        self._path: Path | None = local if local and local.is_dir() else None
        self._rev: str | None = None
        self.truncated = 0

    # -- identity --------------------------------------------------------------------
    @property
    def version(self) -> str:
        import torch
        import transformers

        return f"transformers-{transformers.__version__}+torch-{torch.__version__}"

    @property
    def model_id(self) -> str:
        if self._path is None:
            return self.model or ""
        if getattr(self, "_rev", None) is None:
            named = self.model and not Path(self.model).expanduser().is_dir()
            self._rev = f"{self.model if named else self._path.name}@{model_revision(self._path)}"
        return self._rev

    def options(self) -> dict[str, object]:
        return {"beams": self.beams}

    def check_pair(self, src: str, tgt: str) -> None:
        super().check_pair(src, tgt)
        self._ensure(src, tgt)
        _, tok, _, kind = self._loaded
        if kind == "marian":
            # A Marian model is one pair, or one source and many targets (">>por<<").
            s, t = getattr(tok, "source_lang", None), getattr(tok, "target_lang", None)
            if s and t and (s, t) != (src, tgt) and not self._marian_target(tgt):
                raise UserError(f"model {self.model_id} translates {s}→{t}, not {src}→{tgt}")

    # -- loading ---------------------------------------------------------------------
    def _ensure(self, src: str, tgt: str):
        if self._loaded is not None:
            return self._loaded
        path = self._path or resolve_model(self.model, src, tgt)
        self._path = path
        import torch
        import transformers
        from transformers import AutoConfig, AutoModelForSeq2SeqLM, AutoTokenizer

        # Our progress bar and messages on stderr; not transformers' own chatter.
        transformers.logging.set_verbosity_error()
        # MarianTokenizer asks for sacremoses, which only matters for models trained with
        # Moses pre-tokenisation; OPUS-MT models do not need it.
        import warnings

        warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
        transformers.logging.disable_progress_bar()
        try:
            config = AutoConfig.from_pretrained(path, local_files_only=True)
            tok = AutoTokenizer.from_pretrained(path, local_files_only=True)
            model = AutoModelForSeq2SeqLM.from_pretrained(path, local_files_only=True)
        except (OSError, ValueError) as e:
            raise UserError(f"{path}: cannot load a translation model ({e})") from None
        kind = model_kind(config, tok, path)
        self._config = config
        device = self.device_name or ("cuda" if torch.cuda.is_available() else "cpu")
        model.to(device).eval()
        self._loaded = (path, tok, model, kind)
        self.device = device
        return self._loaded

    def _marian_target(self, tgt: str) -> str | None:
        tok = self._loaded[1]
        vocab = tok.get_vocab()
        for code in MARIAN_TARGETS.get(tgt, ()):
            if f">>{code}<<" in vocab:
                return f">>{code}<<"
        return None

    def limit(self) -> int:
        tok, config = self._loaded[1], self._config
        model_max = tok.model_max_length if tok.model_max_length < 10**6 else 512
        limit = self.max_length or min(
            getattr(config, "max_position_embeddings", 512) or 512, model_max)
        return max(8, int(limit))

    # -- translation -----------------------------------------------------------------
    def _prepare(self, segments, src, tgt):
        """Token ids per segment (prefixes, truncation), and decoding arguments."""
        path, tok, model, kind = self._ensure(src, tgt)
        gen: dict = {}
        texts = list(segments)
        if kind == "nllb":
            tok.src_lang = NLLB_CODES[src]
            gen["forced_bos_token_id"] = tok.convert_tokens_to_ids(NLLB_CODES[tgt])
        elif kind == "m2m_100":
            tok.src_lang = src
            gen["forced_bos_token_id"] = tok.get_lang_id(tgt)
        else:
            prefix = self._marian_target(tgt)
            if prefix:
                texts = [f"{prefix} {t}" for t in texts]
        limit = self.limit()
        ids = tok(texts, add_special_tokens=True)["input_ids"]
        out = []
        for seg, row in zip(segments, ids):
            if len(row) > limit:
                self.truncated += 1
                self.warnings.append(f"segment truncated to {limit} tokens ({len(row)}): "
                                     f"{seg[:60]}...")
                row = row[:limit - 1] + [row[-1]]      # keep the end-of-sentence token
            out.append(row)
        return out, gen

    def _translate(self, segments: list[str], src: str, tgt: str) -> list[str]:
        rows, gen = self._prepare(segments, src, tgt)
        order = sorted(range(len(rows)), key=lambda i: len(rows[i]))   # less padding
        result: list[str] = [""] * len(rows)
        for i in range(0, len(order), self.batch_size):
            idx = order[i:i + self.batch_size]
            width = max(len(rows[j]) for j in idx)
            # Room for a translation twice as long as the source, within the model's limit.
            max_new = min(self.limit(), 2 * width + 16)
            for k, text in zip(idx, self._generate([rows[j] for j in idx], max_new, tgt, gen)):
                result[k] = text.strip()
        return result

    def _generate(self, rows: list[list[int]], max_new: int, tgt: str, gen: dict) -> list[str]:
        import torch

        _, tok, model, _ = self._loaded
        width = max(len(r) for r in rows)
        ids = torch.full((len(rows), width), tok.pad_token_id, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for k, r in enumerate(rows):
            ids[k, :len(r)] = torch.tensor(r)
            mask[k, :len(r)] = 1
        with torch.inference_mode():
            out = model.generate(input_ids=ids.to(self.device), attention_mask=mask.to(self.device),
                                 num_beams=self.beams, do_sample=False, max_new_tokens=max_new,
                                 **gen)
        return tok.batch_decode(out, skip_special_tokens=True)

    def close(self) -> None:
        self._loaded = None
