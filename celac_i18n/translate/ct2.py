"""CTranslate2: the same checkpoints as ``hf``, converted once, several times faster.

``--model`` is a transformers MarianMT/NLLB/M2M100 directory (converted on first use into
the user cache, keyed by the model's revision) or an already converted CTranslate2
directory that also holds the tokenizer files.

CTranslate2's Marian converter assumes what Marian itself guarantees: ``<pad>`` is the
last vocabulary entry, the decoder starts from it, and its embedding is all zeros (the
converter drops that row and starts the decoder from a zero vector). transformers 5.x
does not enforce the zero row, and a model trained or edited there can violate it; its
conversion would translate differently from the original without any error. We check
before converting and refuse, unless asked to zero the row (``zero_pad``), which makes a
changed copy and says so in the signature.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from ..errors import UserError
from ..fsutil import user_cache_dir
from .hf import NLLB_CODES, HFEngine, model_kind, model_revision, resolve_model

_EMBEDDING_KEYS = ("model.shared.weight", "model.encoder.embed_tokens.weight",
                   "model.decoder.embed_tokens.weight", "lm_head.weight")


def ct2_cache_dir() -> Path:
    """Where conversions are kept unless the engine is given ``ct2_dir``."""
    return user_cache_dir() / "ct2"


def is_ct2_dir(path: Path) -> bool:
    return (path / "model.bin").exists()


def _pad_rows(path: Path, pad: int) -> dict[str, float]:
    """Largest |value| of the <pad> row in each embedding the checkpoint stores."""
    out: dict[str, float] = {}
    st = path / "model.safetensors"
    if st.exists():
        from safetensors import safe_open

        with safe_open(str(st), "np") as f:
            for key in _EMBEDDING_KEYS:
                if key in f.keys():
                    out[key] = float(abs(f.get_slice(key)[pad:pad + 1]).max())
        return out
    import torch

    state = torch.load(path / "pytorch_model.bin", map_location="cpu", weights_only=True)
    for key in _EMBEDDING_KEYS:
        if key in state:
            out[key] = float(state[key][pad].abs().max())
    return out


def marian_pad_problems(path: Path) -> list[str]:
    """What in this Marian checkpoint breaks CTranslate2's assumptions ([] when fine)."""
    import json

    config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    if config.get("model_type") != "marian":
        return []
    problems = []
    pad, size = config.get("pad_token_id"), config.get("vocab_size")
    if pad != size - 1:
        problems.append(f"<pad> is token {pad}, not the last of {size}")
    start = config.get("decoder_start_token_id", pad)
    if start != pad:
        problems.append(f"the decoder starts from token {start}, not <pad> ({pad})")
    if pad is not None and pad < size:
        for key, value in _pad_rows(path, pad).items():
            if value > 0:
                problems.append(f"the <pad> embedding ({key}) is not zero (max |x| = {value:.3g})")
    return problems


def _zeroed_copy(path: Path, dest: Path) -> Path:
    """A copy of ``path`` with the <pad> embedding row set to zero."""
    from transformers import AutoModelForSeq2SeqLM

    shutil.copytree(path, dest, dirs_exist_ok=True)
    model = AutoModelForSeq2SeqLM.from_pretrained(path, local_files_only=True)
    pad = model.config.pad_token_id
    import torch

    with torch.no_grad():
        model.get_input_embeddings().weight[pad].zero_()
        model.get_output_embeddings().weight[pad].zero_()
    model.save_pretrained(dest)
    return dest


def convert(path: Path, dest: Path, *, zero_pad: bool = False) -> Path:
    """Convert a transformers checkpoint to CTranslate2 (after the <pad> checks)."""
    import ctranslate2

    problems = marian_pad_problems(path)
    fixable = problems and all("embedding" in p for p in problems)
    if problems and not (zero_pad and fixable):
        hint = (" Convert with --zero-pad to zero that row (this changes the model: its "
                "output will differ from --engine hf on the original), or use --engine hf."
                if fixable else " Use --engine hf for this model.")
        raise UserError(f"{path}: CTranslate2 would mistranslate this Marian model: "
                        + "; ".join(problems) + "." + hint)
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=f".{dest.name}.") as tmp:
        src = _zeroed_copy(path, Path(tmp) / "zeroed") if problems else path
        files = [f.name for f in src.iterdir() if f.name in (
            "source.spm", "target.spm", "vocab.json", "tokenizer_config.json",
            "special_tokens_map.json", "sentencepiece.bpe.model", "tokenizer.json",
            "generation_config.json")]
        out = Path(tmp) / "ct2"
        ctranslate2.converters.TransformersConverter(
            str(src), copy_files=[str(src / f) for f in files]).convert(str(out), force=True)
        shutil.copy(src / "config.json", out / "hf_config.json")
        try:
            os.replace(out, dest)       # atomic: a half-converted model never appears
        except OSError:
            if not is_ct2_dir(dest):    # another process won the race: fine
                raise
    return dest


class CT2Engine(HFEngine):
    name = "ct2"

    def __init__(self, model: str | None = None, beams: int = 4, batch_size: int = 16,
                 device: str | None = None, max_length: int | None = None,
                 zero_pad: bool = False, threads: int = 0, ct2_dir: str | None = None):
        super().__init__(model, beams=beams, batch_size=batch_size, device=device,
                         max_length=max_length)
        self.zero_pad = zero_pad
        self.ct2_dir = Path(ct2_dir) if ct2_dir else ct2_cache_dir()
        self.threads = threads

    @property
    def version(self) -> str:
        import ctranslate2

        return f"ctranslate2-{ctranslate2.__version__}"

    def options(self) -> dict[str, object]:
        opts: dict[str, object] = {"beams": self.beams}
        if self.zero_pad:
            opts["zero_pad"] = "yes"
        return opts

    def _ensure(self, src: str, tgt: str):
        if self._loaded is not None:
            return self._loaded
        import ctranslate2
        import transformers
        from transformers import AutoConfig, AutoTokenizer

        transformers.logging.set_verbosity_error()
        # MarianTokenizer asks for sacremoses, which only matters for models trained with
        # Moses pre-tokenisation; OPUS-MT models do not need it.
        import warnings

        warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
        path = self._path or resolve_model(self.model, src, tgt)
        self._path = path
        if is_ct2_dir(path):
            ct2_path, hf_config = path, path / "hf_config.json"
        else:
            zp = "-zeropad" if self.zero_pad else ""
            ct2_path = self.ct2_dir / f"{path.name}-{model_revision(path)}{zp}"
            if not is_ct2_dir(ct2_path):
                ct2_path.parent.mkdir(parents=True, exist_ok=True)
                convert(path, ct2_path, zero_pad=self.zero_pad)
            hf_config = path / "config.json"
        if not hf_config.exists():
            raise UserError(f"{path}: a CTranslate2 model needs its transformers config.json "
                            "(saved as hf_config.json) and tokenizer files beside it")
        try:
            config = AutoConfig.from_pretrained(str(hf_config), local_files_only=True)
            tok = AutoTokenizer.from_pretrained(str(ct2_path), config=config,
                                                local_files_only=True)
        except (OSError, ValueError) as e:
            raise UserError(f"{ct2_path}: cannot load the tokenizer ({e})") from None
        kind = model_kind(config, tok, path)
        self._config = config
        self.device = self.device_name or ("cuda" if ctranslate2.get_cuda_device_count() else "cpu")
        translator = ctranslate2.Translator(str(ct2_path), device=self.device,
                                           intra_threads=self.threads)
        self._loaded = (ct2_path, tok, translator, kind)
        return self._loaded

    def _generate(self, rows: list[list[int]], max_new: int, tgt: str, gen: dict) -> list[str]:
        _, tok, translator, kind = self._loaded
        tokens = [tok.convert_ids_to_tokens(r) for r in rows]
        prefix = None
        if kind == "nllb":
            prefix = [[NLLB_CODES[tgt]]] * len(tokens)
        elif kind == "m2m_100":
            prefix = [[f"__{tgt}__"]] * len(tokens)
        # transformers forces </s> into the last slot when the config says so: match it.
        if getattr(self._config, "forced_eos_token_id", None) is not None:
            max_new -= 1
        results = translator.translate_batch(
            tokens, target_prefix=prefix, beam_size=self.beams, max_batch_size=self.batch_size,
            max_decoding_length=max_new, sampling_topk=1)
        return [tok.decode(tok.convert_tokens_to_ids(r.hypotheses[0]), skip_special_tokens=True)
                for r in results]
