"""A transformers sentence encoder (`--embed-model PATH`), tested on a tiny
BERT-like encoder the test builds offline from a config, with random weights: such a
model knows no language, but it maps a text to the same vector every time and two
different texts to different vectors, which is what these tests need."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from conftest import run_cli  # noqa: E402

from celac_i18n.align import align_documents  # noqa: E402
from celac_i18n.model import Document, Provenance, Unit  # noqa: E402

SYLLABLES = ["ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "de", "fa", "gu", "ze"]


def _words(rng: random.Random, n: int) -> list[str]:
    return ["".join(rng.choice(SYLLABLES) for _ in range(3)) for _ in range(n)]


@pytest.fixture(scope="module")
def texts():
    """Fourteen paragraphs of made-up words, all of the same length and without
    numbers or acronyms: lengths and anchors cannot tell them apart."""
    rng = random.Random(7)
    out = []
    for _ in range(14):
        out.append(" ".join(_words(rng, 12)) + ".")
    assert len({len(t) for t in out}) == 1
    return out


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory, texts):
    from transformers import BertConfig, BertModel, BertTokenizer

    d = tmp_path_factory.mktemp("tiny-bert")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "."]
    vocab += sorted({w for t in texts for w in t.rstrip(".").split()} | {"uno", "dos"})
    (d / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    BertTokenizer(str(d / "vocab.txt")).save_pretrained(str(d))
    torch.manual_seed(0)
    cfg = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2,
                     num_attention_heads=2, intermediate_size=64, max_position_embeddings=128)
    BertModel(cfg).save_pretrained(str(d))
    return d


def test_encode_is_mean_pooled_normalised_and_padding_free(model_dir, texts):
    from celac_i18n.semantic import Semantic
    from celac_i18n.semantic.transformers_encoder import TransformersEncoder

    e = TransformersEncoder(model_dir)
    assert e.device == ("cuda" if torch.cuda.is_available() else "cpu")
    alone = e.encode([texts[0]])
    # batched with a longer text (so padded): the same vector
    batched = e.encode([texts[0], " ".join(texts[1:4])])
    assert np.allclose(alone[0], batched[0], atol=1e-5)
    assert np.allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)
    assert not np.any(e.encode(["", texts[1]])[0])          # an empty text: zero vector
    sim = Semantic(e).similarity(texts[:3], texts[:3])
    assert sim.shape == (3, 3) and np.allclose(np.diag(sim), 1.0, atol=1e-5)
    assert (sim[~np.eye(3, dtype=bool)] < 0.9999).all()


def _doc(lang, paras, positional=False):
    units = [Unit(f"p{i}" if positional else f"c{i}", "paragraph" if positional else "clause",
                  "", "", t) for i, t in enumerate(paras, start=1)]
    extra = {"ids": "positional"} if positional else {}
    return Document(lang, units, Provenance(source=f"made-{lang}", extra=extra))


def test_embeddings_place_a_dropped_paragraph_that_lengths_cannot(model_dir, texts):
    """The "translation" is the same text (the tiny model knows no languages) with
    paragraph 9 dropped and no numbering: every paragraph has the same length, so
    Gale–Church cannot tell where the gap is; identical embeddings can."""
    from celac_i18n.semantic import Semantic
    from celac_i18n.semantic.transformers_encoder import TransformersEncoder

    src = _doc("es", texts)
    tgt = _doc("pt", texts[:8] + texts[9:], positional=True)
    gold = [((f"c{i}",), (f"p{i if i < 9 else i - 1}",)) for i in range(1, 15) if i != 9]
    gold.append((("c9",), ()))

    def beads(res):
        return {(tuple(b.ids("es")), tuple(b.ids("pt"))) for b in res.beads}

    with_emb = align_documents([src, tgt], embedder=Semantic(TransformersEncoder(model_dir)))
    assert beads(with_emb) == set(gold)
    assert "embed:" + model_dir.name in with_emb.signature
    without = align_documents([src, tgt])
    assert beads(without) != set(gold)          # the cue made the difference


def test_cli_embed_model(model_dir, texts, tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("\n\n".join(f"{i}. {t}" for i, t in enumerate(texts, 1)), encoding="utf-8")
    b.write_text("\n\n".join(texts[:8] + texts[9:]), encoding="utf-8")
    r = run_cli("align", f"{a}@es", f"{b}@pt", "--embed-model", str(model_dir),
                "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert "|embed:" in lines[0]["signature"]
    assert [b["ids"]["pt"] for b in lines[1:] if b["ids"]["es"] == ["9"]] == [[]]
    from celac_i18n.errors import UserError
    from celac_i18n.semantic.transformers_encoder import TransformersEncoder

    with pytest.raises(UserError, match="no config.json"):      # exit 2, one line
        TransformersEncoder(tmp_path)
    r = run_cli("align", f"{a}@es", f"{b}@pt", "--embed-model", str(tmp_path))
    assert r.returncode == 2 and "no config.json" in r.stderr and "Traceback" not in r.stderr
