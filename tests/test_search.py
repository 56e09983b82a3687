"""`celac-i18n search`: clauses closest in meaning to a query, with the real default
encoder (USE multilingual v3), on the shipped 2022-2024 plan (es official; en, zh, pt
references; en, pt apertium renderings) and on a real public parallel text (UN Charter
articles 1-6 in es, en, zh)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from celac_i18n.errors import UserError
from celac_i18n.ops import Context, build
from celac_i18n.semantic.search import (Passage, WordMatcher, families, is_short, rank,
                                        word_scores)

from conftest import run_cli

CHARTER = Path(__file__).parent / "fixtures" / "parallel"
CHARTER_REFS = [str(CHARTER / f"un-charter.{lang}.txt") for lang in ("es", "en", "zh")]
PLAN_LANGS = ("es", "en", "zh", "pt")
# what the shipped corpus holds for 2022-2024, by reference and kind
TEXTS = {"2022-2024:es:official", "2022-2024:en:reference", "2022-2024:zh:reference",
         "2022-2024:pt:reference", "2022-2024:en:apertium", "2022-2024:pt:apertium"}


@pytest.fixture(scope="module")
def ctx():
    """One context: its semantic layer remembers each clause's vector across tests."""
    return Context()


def search(ctx, *inputs, **options):
    return build("search", list(inputs), options).run(ctx)


# -- the plan: what every language says about scholarships ------------------------------

@pytest.mark.parametrize("query", ["becas", "scholarships", "奖学金", "bolsas de estudo"])
def test_a_word_finds_the_scholarship_clause_in_every_language(ctx, query):
    res = search(ctx, query)
    top = res.records[:6]
    # IV.4.2 ("5000 becas gubernamentales"), in each of the six texts, before any other
    assert {r["id"] for r in top} == {"IV.4.2"}
    assert {r["ref"] for r in top} == TEXTS
    assert {r["lang"] for r in top} == set(PLAN_LANGS)
    assert res.envelope["texts"] and set(res.envelope["texts"]) == TEXTS
    for r in top:
        assert r["words"] == 1.0 and r["similarity"] is not None
        assert r["score"] == pytest.approx(r["similarity"] + r["words"], abs=1e-3)
    # the clause in the other languages ranks by the words of its rendering
    assert any(r["via"] for r in top) and all(r["via"] in TEXTS for r in top if r["via"])
    scores = [r["score"] for r in res.records]
    assert scores == sorted(scores, reverse=True) and len(res.records) == 10


def test_a_chinese_word_alone_is_weak_by_meaning_and_found_by_its_words(ctx):
    res = search(ctx, "奖学金", lang="es", top=3)
    hit = res.records[0]
    assert (hit["id"], hit["lang"], hit["kind"]) == ("IV.4.2", "es", "official")
    # sentence encoders are weak on a lone word in another language: the cosine alone
    # would not carry it; the Chinese rendering's words do
    assert hit["similarity"] < 0.3 and hit["via"] == "2022-2024:zh:reference"
    assert all(r["lang"] == "es" for r in res.records)
    assert res.records[1]["score"] < 0.5


def test_a_sentence_is_matched_by_meaning_in_every_language(ctx):
    q = "The Chinese side will grant government scholarships and training places"
    res = search(ctx, q, top=200)
    assert res.records[0]["words"] is None            # a sentence: no lexical score
    for lang in ("es", "en", "pt"):
        first = next(r for r in res.records if r["lang"] == lang)
        assert first["id"] == "IV.4.2", lang
    zh = [r["id"] for r in res.records if r["lang"] == "zh"]
    assert "IV.4.2" in zh[:3]


def test_like_finds_the_same_clause_in_the_other_languages_first(ctx):
    res = search(ctx, like="2022-2024:es#IV.4.2")
    first = res.records[:5]
    assert {r["id"] for r in first} == {"IV.4.2"}
    assert {r["ref"] for r in first} == TEXTS - {"2022-2024:es:official"}
    # the query clause itself is not a result
    assert not any(r["ref"] == "2022-2024:es:official" and r["id"] == "IV.4.2"
                   for r in res.records)
    zh = search(ctx, like="2022-2024:zh#IV.4.2", lang="es", top=1).records[0]
    assert (zh["id"], zh["lang"]) == ("IV.4.2", "es") and zh["similarity"] > 0.5


def test_lang_restricts_and_top_limits(ctx):
    res = search(ctx, "becas", lang="pt", top=3)
    assert len(res.records) == 3 and all(r["lang"] == "pt" for r in res.records)
    assert [r["rank"] for r in res.records] == [1, 2, 3]
    assert {r["id"] for r in res.records[:2]} == {"IV.4.2"}


# -- a real public text that is not a plan ------------------------------------------------

@pytest.mark.parametrize("query,want", [
    ("peaceful settlement of disputes", {"art.2.3", "art.1.1"}),
    ("Members shall refrain from the threat or use of force", {"art.2.4"}),
    ("sovereign equality of all Members", {"art.2.1"}),
    ("no intervention in matters within the domestic jurisdiction of a state", {"art.2.7"}),
])
def test_un_charter_articles_found_in_each_language(ctx, query, want):
    res = search(ctx, query, *CHARTER_REFS, top=100)
    assert res.envelope["texts"] == CHARTER_REFS
    for lang in ("es", "en", "zh"):
        first = [r["id"] for r in res.records if r["lang"] == lang][:2 if len(want) > 1 else 1]
        assert set(first) <= want, (lang, first)
    assert all(r["plan"] is None and r["kind"] == "file" for r in res.records)


def test_un_charter_chinese_words_count_for_the_articles_they_render(ctx):
    res = search(ctx, "和平解决争端", *CHARTER_REFS, lang="es", top=2)
    # art.2.3 (settle disputes by peaceful means) and art.1.1 (... settlement of
    # international disputes by peaceful means): the files are numbered alike, so the
    # Chinese words lend their score to the Spanish articles
    assert {r["id"] for r in res.records} == {"art.2.3", "art.1.1"}
    assert all(r["via"] == CHARTER_REFS[2] and r["words"] > 0.5 for r in res.records)


# -- the command line -----------------------------------------------------------------------

def test_cli_json_and_jsonl(tmp_path):
    env = {"CELAC_I18N_CACHE": str(tmp_path / "cache.sqlite")}
    r = run_cli("search", "scholarships", "2022-2024:es", "2022-2024:zh", "--format",
                "json", "--top", "3", env=env)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["query"] == "scholarships" and doc["texts"] == ["2022-2024:es", "2022-2024:zh"]
    assert "use-m3" in doc["signature"] and "score = similarity + words" in doc["scoring"]
    hits = doc["hits"]
    assert [h["id"] for h in hits[:2]] == ["IV.4.2", "IV.4.2"]
    assert {h["lang"] for h in hits[:2]} == {"es", "zh"}
    assert set(hits[0]) >= {"plan", "lang", "kind", "id", "text", "similarity", "words",
                            "score"}
    # a second run reads the vectors from the cache file: the same hits
    r2 = run_cli("search", "scholarships", "2022-2024:es", "2022-2024:zh", "--format",
                 "jsonl", "--top", "3", env=env)
    assert r2.returncode == 0 and "encoding" not in r2.stderr
    assert [json.loads(line)["score"] for line in r2.stdout.splitlines()] == \
        [h["score"] for h in hits]


def test_cli_embed_model_none_is_lexical_only_and_says_so(tmp_path):
    out = tmp_path / "hits.html"
    r = run_cli("search", "奖学金", "--embed-model", "none", "-o", str(out),
                env={"CELAC_I18N_CACHE": "off"})
    assert r.returncode == 0, r.stderr
    assert "lexical" in r.stderr and "none" in r.stderr
    page = out.read_text(encoding="utf-8")
    assert page.count("<tr><td>") == 6 and "IV.4.2" in page and "奖学金" in page
    assert "score = words" in page
    r = run_cli("search", "becas", "--embed-model", "none", "--format", "jsonl",
                env={"CELAC_I18N_CACHE": "off"})
    hits = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(hits) == 6 and {h["id"] for h in hits} == {"IV.4.2"}
    assert all(h["similarity"] is None and h["words"] == 1.0 for h in hits)


@pytest.mark.parametrize("args,message", [
    (["search", ""], "the query is empty"),
    (["search", "   "], "the query is empty"),
    (["search", "?!"], "has no words"),
    (["search"], "needs a QUERY"),
    (["search", "becas", "2022-2024:xx"], "unknown language"),
    (["search", "becas", "1999-2000:es"], "unknown plan"),
    (["search", "becas", "no-such-file.txt"], "no-such-file.txt"),
    (["search", "--like", "2022-2024:es#IV.99"], "has no unit 'IV.99'"),
    (["search", "--like", "2022-2024:es"], "expected REF#ID"),
    (["search", "--like", "2022-2024:qq#I.1"], "unknown language"),
    (["search", "becas", "--lang", "fr"], "unknown language"),
    (["search", "becas", "--top", "0"], "between 1"),
])
def test_bad_input_is_one_line_and_exit_2(args, message):
    r = run_cli(*args, "--embed-model", "none", env={"CELAC_I18N_CACHE": "off"})
    assert r.returncode == 2, (args, r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in r.stderr


def test_a_job_file_searches_with_query_and_like_keys(tmp_path):
    jobs = tmp_path / "jobs.toml"
    jobs.write_text(
        'output_dir = "out"\n'
        '[[output]]\npath = "becas.jsonl"\ndo = "search"\nquery = "becas"\n'
        'inputs = ["2022-2024:zh", "2022-2024:en"]\ntop = 2\n'
        '[[output]]\npath = "like.html"\ndo = "search"\nlike = "2022-2024:es#IV.4.2"\n'
        'inputs = []\nlang = "zh"\ntop = 1\n', encoding="utf-8")
    env = {"CELAC_I18N_CACHE": str(tmp_path / "cache.sqlite")}
    r = run_cli("batch", str(jobs), "--format", "json", env=env)
    assert r.returncode == 0, r.stderr
    assert [x["status"] for x in json.loads(r.stdout)] == ["built"] * 2
    hits = [json.loads(x) for x in
            (tmp_path / "out" / "becas.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(h["id"], h["lang"]) for h in hits] in ([("IV.4.2", "zh"), ("IV.4.2", "en")],
                                                    [("IV.4.2", "en"), ("IV.4.2", "zh")])
    page = (tmp_path / "out" / "like.html").read_text(encoding="utf-8")
    assert page.count("<tr><td>") == 1 and "奖学金" in page
    r = run_cli("batch", str(jobs), "--format", "json", env=env)
    assert [x["status"] for x in json.loads(r.stdout)] == ["up to date"] * 2


def test_query_is_not_a_declared_input():
    op = build("search", ["becas", "2022-2024:es"], {"like": None})
    assert op.declared_inputs() == ["2022-2024:es"]
    # the first argument is the query option: the same operation as a job file's
    same = build("search", ["2022-2024:es"], {"query": "becas"})
    assert op.config() == same.config() and op.config()["options"] == {"query": "becas"}
    with pytest.raises(UserError, match="not both"):
        build("search", [], {"query": "becas", "like": "2022-2024:es#I.1"})
    op = build("search", [], {"like": "2022-2024:es#IV.4.2"})
    assert op.declared_inputs() == ["2022-2024:es"] and op.config()["options"] == {
        "like": "2022-2024:es#IV.4.2"}
    with pytest.raises(UserError, match="jobs.toml: search: the query is empty"):
        build("search", [""], {}, where="jobs.toml")


# -- the ranking logic --------------------------------------------------------------------

def test_words_match_case_accents_plurals_and_chinese_bigrams():
    assert WordMatcher("Becas").score("5000 becas gubernamentales") == 1.0
    assert WordMatcher("beca").score("5000 BECAS") == 1.0
    assert WordMatcher("becas").score("una beca") > 0.5            # the plural dropped
    assert WordMatcher("cooperacion").score("la Cooperación Sur-Sur") == 1.0
    assert WordMatcher("art").score("el artículo 5") == 0.0        # a short word is whole
    assert WordMatcher("scholarships").score("exchanges among scholars") == 0.0
    assert WordMatcher("奖学金").score("提供5000个政府奖学金名额") == 1.0
    assert WordMatcher("奖学金").score("大学金融合作") == 0.0         # one bigram of two
    assert is_short("奖学金") and is_short("bolsas de estudo") and not is_short(
        "peaceful settlement of disputes")


def test_families_join_a_plan_and_files_numbered_alike():
    ids = ["art.1", "art.2", "art.3"]
    fam = families({"2022-2024:es": ("2022-2024", "es", ["I.1"]),
                    "2022-2024:zh": ("2022-2024", "zh", ["I.2"]),
                    "a.es.txt": (None, "es", ids), "a.zh.txt": (None, "zh", ids),
                    "b.en.txt": (None, "en", ["p1", "p2"]), "c.es.txt": (None, "es", ids)})
    assert fam["2022-2024:es"] == fam["2022-2024:zh"]
    assert fam["a.es.txt"] == fam["a.zh.txt"] != fam["2022-2024:es"]
    assert len({fam["b.en.txt"], fam["c.es.txt"], fam["a.es.txt"]}) == 3   # c: es again


_text = st.text(alphabet="abcdeñé 奖学金政府 ", max_size=30)


@st.composite
def corpora(draw):
    passages = []
    for t in range(draw(st.integers(1, 3))):
        lang = draw(st.sampled_from(PLAN_LANGS))
        for k in range(draw(st.integers(0, 5))):
            passages.append(Passage(f"t{t}", "P" if t % 2 else None, lang, "x",
                                    f"c{draw(st.integers(0, 4))}", draw(_text)))
    return passages


@settings(max_examples=150, deadline=None)
@given(passages=corpora(), query=st.text(alphabet="abcñé奖学金 ", min_size=1, max_size=8),
       top=st.integers(1, 12), with_sims=st.booleans(), data=st.data())
def test_rank_is_best_first_bounded_and_lends_words_to_renderings(passages, query, top,
                                                                  with_sims, data):
    sims = [data.draw(st.floats(-1, 1)) for _ in passages] if with_sims else None
    words = word_scores(query, passages)
    hits = rank(passages, sims, words, top=top)
    assert len(hits) <= top
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    matcher = WordMatcher(query)
    for h in hits:
        assert 0.0 <= h.words <= 1.0
        # a clause's words score is the best over the texts that render it
        mates = [matcher.score(p.text) for p in passages if p.group == h.passage.group
                 and (p.lang in ("zh",)) == (matcher.script == "han")]
        assert h.words == pytest.approx(max(mates, default=0.0), abs=1e-4)
        if h.via is not None:            # found in another text, never in itself
            assert h.words > 0 and h.via != h.passage.ref
    if sims is None:                     # lexical only: nothing without words ranks
        assert all(h.words > 0 for h in hits)
    else:                                # every clause is a candidate
        assert len(hits) == min(top, len(passages))
