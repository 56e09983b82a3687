"""Sentence-level review workspaces (``review init --level sentence``) and bead keys that
read back into their ids exactly (``export.ids``)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
from hypothesis import given, settings, strategies as st

from conftest import ROOT, run_cli
from celac_i18n.errors import UserError
from celac_i18n.export.ids import (bead_key, from_nmtoken, legacy_key, nmtoken, parse_key,
                                   unique_keys, with_suffix)
from celac_i18n.review.api import Api
from celac_i18n.review.build import init_workspace, update_workspace
from celac_i18n.review.records import BeadData
from celac_i18n.review.store import Store

PAR = ROOT / "tests" / "fixtures" / "parallel"
FIX = ROOT / "tests" / "fixtures" / "structure"
XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF20 = "urn:oasis:names:tc:xliff:document:2.0"
NMTOKEN = re.compile(r"^[\w.\-:\u00b7]+$")

# clause-id characters, and the ones that mean something in a key
ROMAN = st.sampled_from(["I", "II", "III", "IV", "IX", "XXIX", "XL"])
PIECE = st.text(alphabet="ab#~.-0123456789sIVX", min_size=1, max_size=6)
AWKWARD = st.text(alphabet="_:+% /?éü中\t", min_size=1, max_size=3)
IDS = st.lists(st.builds(lambda *p: "".join(p), ROMAN, st.sampled_from(["", ".", "#s", "~"]),
                         st.one_of(PIECE, AWKWARD, st.just(""))), min_size=1, max_size=4)
LANG = st.sampled_from([None, "zh", "en", "pt"])


# -- keys --------------------------------------------------------------------------------
@settings(max_examples=300, deadline=None)
@given(IDS, LANG, st.one_of(st.none(), st.sampled_from(["2", "m", "s1", "r3"])))
def test_a_key_reads_back_into_exactly_its_ids(ids, lang, suffix):
    langs = ["es", "zh", "en", "pt"] if lang is None else ["es", lang]
    key = bead_key({"es" if lang is None else lang: ids}, langs)
    if suffix:
        key = with_suffix(key, suffix)
    assert parse_key(key) == (lang, ids, suffix)
    # an XLIFF 2.0 id is an NMTOKEN and reads back into the key
    assert NMTOKEN.match(nmtoken(key)) and from_nmtoken(nmtoken(key)) == key


@given(st.text(max_size=30))
def test_any_string_parses_as_a_key_without_an_error(text):
    lang, ids, suffix = parse_key(text)
    assert isinstance(ids, list) and isinstance(legacy_key(text), str)


@given(st.text(max_size=30))
def test_any_xliff2_id_reads_back_without_an_error(token):
    assert isinstance(from_nmtoken(token), str)
    assert from_nmtoken("I.5\u00b7FFFFFFFFF\u00b7s2") == "I.5\u00b7FFFFFFFFF\u00b7s2"


@settings(max_examples=300, deadline=None)
@given(IDS, IDS)
def test_different_ids_never_share_a_key(a, b):
    if a != b:
        assert bead_key({"es": a}, ["es"]) != bead_key({"es": b}, ["es"])


def test_a_cut_piece_and_a_real_sub_clause_have_different_keys():
    """I.5~2 (the second piece of I.5 cut in two) was keyed I.5.2, the key of a real
    clause I.5.2; a sentence I.5#s2 was I.5.s2."""
    keys = {bead_key({"es": [i]}, ["es"]) for i in ("I.5~2", "I.5.2", "I.5#s2", "I.5.s2")}
    assert keys == {"I.5~2", "I.5.2", "I.5#s2", "I.5.s2"}
    assert bead_key({"es": ["II.1.6", "II.1.7"]}, ["es", "zh"]) == "II.1.6_II.1.7"
    assert bead_key({"zh": ["II.1.8"]}, ["es", "zh"]) == "zh:II.1.8"
    assert bead_key({"es": ["a_b"]}, ["es"]) == "a%5Fb"          # not two ids a and b
    assert legacy_key("I.5~2") == "I.5.2" and legacy_key("I.5#s2+s2") == "I.5.s2-s2"
    assert unique_keys([_Bead(["p1"]), _Bead(["p1"])], ["es"]) == ["p1", "p1+2"]


class _Bead:
    def __init__(self, ids):
        self._ids = ids

    def ids(self, lang):
        return self._ids


def _store(tmp_path, keys_units) -> Store:
    """A two-language workspace of the given beads (key ids → es and en units)."""
    beads = []
    for ids, es, en in keys_units:
        beads.append(BeadData(bead_key({"es": ids}, ["es", "en"]), "clause", 0.9,
                              {"es": list(ids), "en": list(ids)},
                              {"es": " ".join(es), "en": " ".join(en)},
                              {"es": list(es), "en": list(en)}))
    meta = {"langs": ["es", "en"], "refs": ["a.es@es", "a.en@en"], "sources": {},
            "kinds": {}, "checks": "all", "built": "x"}
    return Store.create(tmp_path / "k.review", meta, beads, [])


def test_the_api_finds_every_key_as_written(tmp_path):
    """The page asks for /api/beads/encodeURIComponent(KEY): every key comes back as
    itself, # ~ + % / and spaces included."""
    awkward = [["I.5"], ["I.5~2"], ["I.5.2"], ["I.5#s2"], ["a/b"], ["50%"], ["x y"],
               ["p+1"], ["q_r"], ["zh:1"]]
    store = _store(tmp_path, [(ids, [f"Texto {k}."], [f"Text {k}."])
                              for k, ids in enumerate(awkward)])
    api = Api(store, "tester")
    keys = [b.key for b in store.beads()]
    assert len(set(keys)) == len(awkward)
    for key, ids in zip(keys, awkward):
        status, _, data = api.handle("GET", "/api/beads/" + quote(key, safe=""))
        assert status == 200, data
        view = json.loads(data)
        assert view["key"] == key and view["ids"]["es"] == ids
        assert parse_key(key)[1] == ids


def test_a_cut_inside_a_unit_keys_its_piece_apart_from_a_real_sub_clause(tmp_path):
    store = _store(tmp_path, [(["I.5"], ["Primera frase del cinco. Segunda frase unida."],
                               ["First sentence of five. Second sentence."]),
                              (["I.5.2"], ["Apartado dos."], ["Item two."])])
    text = store.bead("I.5").texts["es"]
    d = store.decide("I.5", "split", "tester", lang="es", offset=text.index("Segunda"),
                     keep="auto")
    keys = [b.key for b in store.beads()]
    assert keys == ["I.5+s1", "I.5~2", "I.5.2"], keys
    assert store.bead("I.5~2").ids["es"] == ["I.5~2"]
    assert store.bead("I.5.2").texts["es"] == "Apartado dos."
    assert json.loads(d["payload"])["split"][1:] == ["I.5+s1", "I.5~2"]
    assert parse_key("I.5+s1") == (None, ["I.5"], "s1")


def test_a_split_recorded_under_the_older_keys_still_applies(tmp_path):
    """A workspace made before keys kept ids as written recorded the piece as I.5.2: the
    split is still applied, and its piece keeps that key (decisions name it)."""
    store = _store(tmp_path, [(["I.5"], ["Primera frase del cinco. Segunda frase unida."],
                               ["First sentence of five. Second sentence."])])
    text = store.bead("I.5").texts["es"]
    d = store.decide("I.5", "split", "tester", lang="es", offset=text.index("Segunda"))
    p = json.loads(d["payload"])
    p["split"] = [legacy_key(k) for k in p["split"]]
    import sqlite3

    with sqlite3.connect(store.path) as c:
        c.execute("UPDATE decisions SET payload = ? WHERE id = ?", (json.dumps(p), d["id"]))
    fresh = Store(store.path)
    assert [b.key for b in fresh.beads()] == ["I.5-s1", "I.5.2"]
    assert fresh.bead("I.5.2").ids["es"] == ["I.5~2"]
    assert not fresh.snapshot().stale_repairs


# -- sentence-level workspaces -------------------------------------------------------------
@pytest.fixture(scope="module")
def charter(tmp_path_factory):
    """The UN Charter excerpt (es/en/zh, not written by the project) at sentence level."""
    path = tmp_path_factory.mktemp("charter") / "charter.review"
    refs = [f"{PAR / f'un-charter.{lang}.txt'}@{lang}" for lang in ("es", "en", "zh")]
    return init_workspace(path, refs, level="sentence")


def test_sentence_beads_sit_in_clause_beads_with_their_clause_ids(charter):
    beads = charter.beads()
    clauses = charter.meta["clauses"]
    assert charter.meta["level"] == "sentence"
    assert "level:sentence" in charter.meta["signature"]
    assert len(beads) > len(clauses) > 5
    keys = [b.key for b in beads]
    assert all("#s" in k for k in keys) and len(set(keys)) == len(keys)
    # every sentence bead's sentences are of units of one clause bead, in document order
    order = [k for k, _ in clauses]
    api = Api(charter, "tester")
    views = {v["key"]: v for v in json.loads(api.handle("GET", "/api/beads")[2])["beads"]}
    seen = [views[k]["clause"] for k in keys]
    assert None not in seen and seen == sorted(seen, key=order.index)
    for b in beads:
        home = dict(clauses)[views[b.key]["clause"]]
        for lang, ids in b.ids.items():
            assert all(i.split("#")[0] in home[lang] for i in ids), (b.key, lang)
    # the pivot's text is the clauses' text, cut into sentences, none lost
    es = "".join(b.texts["es"] for b in beads).replace(" ", "")
    src = (PAR / "un-charter.es.txt").read_text(encoding="utf-8")
    assert "Mantenerlapazylaseguridadinternacionales" in es
    assert len(es) > 0.9 * len("".join(src.split()))
    ws = json.loads(api.handle("GET", "/api/workspace")[2])
    assert ws["level"] == "sentence" and ws["clauses"] == len(clauses)


def test_re_pairing_stays_inside_a_clause(tmp_path, charter):
    import shutil

    path = tmp_path / "c.review"
    shutil.copy(charter.path, path)
    store = Store(path)
    api = Api(store, "tester")
    views = json.loads(api.handle("GET", "/api/beads")[2])["beads"]
    # the last sentence bead of a clause bead with several, and the first of the next
    k = next(i for i in range(1, len(views) - 1)
             if views[i]["clause"] == views[i - 1]["clause"]
             and views[i + 1]["clause"] != views[i]["clause"])
    last = views[k]["key"]
    for body in ({"action": "merge"}, {"action": "shift", "lang": "en", "direction": "down"}):
        status, _, data = api.handle("POST", f"/api/beads/{quote(last, safe='')}/decisions",
                                     None, json.dumps(body).encode())
        assert status == 400 and "inside their clause" in json.loads(data)["error"], data
    first = views[k - 1]["key"]
    status, _, data = api.handle("POST", f"/api/beads/{quote(first, safe='')}/decisions",
                                 None, json.dumps({"action": "merge"}).encode())
    assert status == 200, data
    merged = json.loads(data)["bead"]
    assert merged["key"] == f"{first}_{last}" and merged["clause"] == views[k]["clause"]
    assert len(store.beads()) == len(views) - 1
    with pytest.raises(UserError, match="inside their clause"):
        store.decide(merged["key"], "merge", "tester")


def test_a_dropped_sentence_is_one_omission_on_its_sentence_bead(tmp_path):
    """The second sentence of the Charter's Article 5 left out of the English: one
    es-only sentence bead, with the critical omission on it; its neighbour keeps its
    pair and no finding of the kind."""
    en = tmp_path / "charter.en.txt"
    text = (PAR / "un-charter.en.txt").read_text(encoding="utf-8")
    cut = re.search(r" The exercise of these rights[^.]*\.", text)
    en.write_text(text[:cut.start()] + text[cut.end():], encoding="utf-8")
    store = init_workspace(tmp_path / "s.review", [f"{PAR / 'un-charter.es.txt'}@es",
                                                   f"{en}@en"], level="sentence")
    b = store.bead("art.5.p1#s2")
    assert b.ids["en"] == [] and b.texts["es"].startswith("El ejercicio")
    omitted = [f for f in store.findings() if f.check == "omissions"
               and f.severity == "critical"]
    assert [f.bead for f in omitted] == ["art.5.p1#s2"]
    assert store.bead("art.5.p1#s1").ids["en"] == ["art.5.p1#s1"]
    # typed in, the omission goes (re-QA on the sentence pair alone)
    store.decide("art.5.p1#s2", "edit", "tester", lang="en",
                 text=cut.group(0).strip())
    assert not [f for f in store.findings() if f.bead == "art.5.p1#s2"
                and f.severity == "critical"]


def test_cli_init_status_update_at_sentence_level(tmp_path):
    ws = tmp_path / "c.review"
    es, en = (f"{PAR / f'un-charter.{lang}.txt'}@{lang}" for lang in ("es", "en"))
    r = run_cli("review", "init", str(ws), es, en, "--level", "sentence", "--embed-model", "none")
    assert r.returncode == 0, r.stderr
    assert "sentence beads in es, en" in r.stderr
    r = run_cli("review", "status", str(ws), "--format", "table")
    assert r.returncode == 0 and " sentence beads reviewed: " in r.stdout, r.stdout + r.stderr
    c = json.loads(run_cli("review", "status", str(ws), "--format", "json").stdout)
    assert c["level"] == "sentence" and c["beads"] > 10
    store = Store(ws)
    key = store.beads()[3].key
    store.decide(key, "accept", "tester")
    r = run_cli("review", "update", str(ws))
    assert r.returncode == 0 and "sentence beads" in r.stderr, r.stderr
    again = Store(ws)
    assert again.meta["level"] == "sentence" and again.states()[key].verdict == "accept"
    r = run_cli("review", "init", str(tmp_path / "x.review"), es, en, "--level", "word")
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_the_page_shows_the_level_and_keeps_re_pairing_inside_a_clause(tmp_path, charter):
    """In Debian's chromium: the header names the level, every row its clause, the first
    row of a clause is marked; merging across a clause is refused on the button and by
    the key (the server's reason shown), inside a clause it is made."""
    import shutil
    import threading

    from browser import ARGS, CHROMIUM

    if CHROMIUM is None:
        pytest.skip("chromium is not installed (scripts/setup.sh installs it)")
    pw_api = pytest.importorskip("playwright.sync_api")
    from celac_i18n.review.server import ReviewServer

    path = tmp_path / "c.review"
    shutil.copy(charter.path, path)
    store = Store(path)
    srv = ReviewServer(Api(store, "ana"), 0, path.name)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    n = len(store.beads())
    try:
        with pw_api.sync_playwright() as pw:
            b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            pg = b.new_page(viewport={"width": 1440, "height": 900})
            errors = []
            pg.on("pageerror", lambda e: errors.append(str(e)))
            pg.goto(srv.url + "#bead=" + quote("art.5.p1#s2", safe=""))
            expect = pw_api.expect
            expect(pg.locator("#level")).to_have_text("sentence level")
            expect(pg.locator("#progress")).to_contain_text(f"0 of {n} sentence beads reviewed")
            row = pg.locator('.row[data-key="art.5.p1#s2"]')
            expect(row.locator(".ids")).to_have_text("§ art.5.p1")
            expect(pg.locator('.row[data-key="art.5.p1#s1"]')).to_have_class(
                re.compile("clause-start"))
            expect(row).not_to_have_class(re.compile("clause-start"))
            merge = pg.locator("#tab-bead button.merge")
            expect(merge).to_be_disabled()
            assert "art.6#s1 is in clause art.6" in merge.get_attribute("title")
            pg.locator("#viewport").focus()
            pg.keyboard.press("m")
            expect(pg.locator("#error")).to_contain_text("inside their clause")
            pg.locator('.row[data-key="art.5.p1#s1"]').click()
            expect(merge).to_be_enabled()
            merge.click()
            expect(pg.locator('.row[data-key="art.5.p1#s1_art.5.p1#s2"]')).to_have_count(1)
            assert errors == []
            b.close()
    finally:
        srv.shutdown()
        srv.server_close()
    assert len(store.beads()) == n - 1


def test_qa_and_align_review_refuse_a_sentence_level_workspace(charter):
    es, en = (f"{PAR / f'un-charter.{lang}.txt'}@{lang}" for lang in ("es", "en"))
    for cmd in ("qa", "align"):
        r = run_cli(cmd, es, en, "--review", str(charter.path), "--embed-model", "none")
        assert r.returncode == 2 and "sentence-level workspace" in r.stderr, r.stderr
        assert "Traceback" not in r.stderr


def test_update_keeps_the_keys_an_older_workspace_gave_its_beads(tmp_path):
    """A duplicated number is kept as I.1~2, which workspaces made before keyed I.1.2:
    after `review update` that bead keeps its old key, so its decisions stay on it."""
    import sqlite3

    texts = {"es": ("I. Cooperación Política", "Fortalecer los contactos de alto nivel.",
                    "Promover el diálogo entre las partes.", "Cooperar en asuntos multilaterales."),
             "en": ("I. Political Cooperation", "Strengthen high-level contacts.",
                    "Promote dialogue between the parties.", "Cooperate on multilateral matters.")}
    refs = []
    for lang, (head, a, b, c) in texts.items():
        p = tmp_path / f"dup.{lang}.txt"
        p.write_text(f"{head}\n\n1. {a}\n\n1. {b}\n\n2. {c}\n", encoding="utf-8")
        refs.append(f"{p}@{lang}")
    store = init_workspace(tmp_path / "d.review", refs)
    assert [b.key for b in store.beads()] == ["I", "I.1", "I.1~2", "I.2"]
    with sqlite3.connect(store.path) as c:      # as an older version wrote it
        c.execute("UPDATE beads SET key = 'I.1.2' WHERE key = 'I.1~2'")
    old = Store(store.path)
    old.decide("I.1.2", "accept", "tester")
    update_workspace(old)
    again = Store(store.path)
    assert [b.key for b in again.beads()] == ["I", "I.1", "I.1.2", "I.2"]
    assert again.states()["I.1.2"].verdict == "accept"
    assert again.bead("I.1.2").ids["es"] == ["I.1~2"]


def test_sentence_units_go_out_and_come_back_in_every_format(tmp_path, charter):
    """TMX, XLIFF 1.2 (a <group> per clause) and 2.0 (NMTOKEN ids, the key as name) and
    JSONL carry the sentence beads under their keys; a target edited in the file comes
    back as an edit of that sentence bead, and only of it."""
    import shutil

    from celac_i18n.review.exchange import export_bytes
    from celac_i18n.review.importing import import_file

    key = "art.5.p1#s2"
    for fmt in ("tmx", "xliff-1.2", "xliff-2.0", "jsonl"):
        path = tmp_path / f"{fmt}.review"
        shutil.copy(charter.path, path)
        store = Store(path)
        keys = [b.key for b in store.beads()]
        # the Charter's article headings ("Artículo 5") have no text: no unit
        texted = [b.key for b in store.beads() if b.texts["es"] or b.texts["en"]]
        data, _, _ = export_bytes(store, fmt, target="en")
        old = store.bead(key).texts["en"]
        new = "The exercise of these rights may be restored by the Security Council."
        if fmt == "jsonl":
            rows = [json.loads(x) for x in data.decode().splitlines()]
            assert rows[0]["level"] == "sentence"
            assert [r["id"] for r in rows[1:]] == keys
            assert {r["id"]: r["clause"] for r in rows[1:]}[key] == "art.5.p1"
            for r in rows[1:]:
                if r["id"] == key:
                    r["text"]["en"] = new
            data = ("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n").encode()
        else:
            root = ET.fromstring(data)
            if fmt == "tmx":
                assert root.find("header").get("segtype") == "sentence"
                assert [tu.get("tuid") for tu in root.iter("tu")] == texted
            elif fmt == "xliff-1.2":
                groups = root.findall(f".//{{{XLIFF12}}}group")
                assert [g.get("id") for g in groups] == list(dict.fromkeys(
                    k.split("#")[0] for k in texted))
                [g] = [g for g in groups if g.get("id") == "art.5.p1"]
                assert [tu.get("id") for tu in g.iter(f"{{{XLIFF12}}}trans-unit")] == [
                    "art.5.p1#s1", key]
            else:
                units = list(root.iter(f"{{{XLIFF20}}}unit"))
                assert all(NMTOKEN.match(u.get("id")) for u in units)
                assert [u.get("name") for u in units] == texted
            data = data.replace(old.encode(), new.encode())
        report = import_file(store, data, "cat-tool", f"import:{fmt}")
        assert [a["key"] for a in report.applied] == [key], (fmt, report)
        fresh = Store(path)
        assert fresh.states()[key].target(fresh.bead(key), "en") == new


def test_an_inserted_gap_moves_its_column_down_inside_the_clause_only(tmp_path, charter):
    """Insert an empty English place before the Charter's art.5.p1#s1: the English
    sentences move down one bead inside art.5.p1, the last into a new bead at the
    clause's end; art.6 keeps its pairing; undo puts it back."""
    import shutil

    path = tmp_path / "c.review"
    shutil.copy(charter.path, path)
    store = Store(path)
    before = [(b.key, b.ids) for b in store.beads()]
    d = store.decide("art.5.p1#s1", "insert_empty", "tester", lang="en")
    assert json.loads(d["payload"])["within"] == "clause"
    beads = store.beads()
    keys = [b.key for b in beads]
    k = keys.index("art.5.p1#s1")
    got = [(b.ids["es"], b.ids["en"]) for b in beads[k:k + 4]]
    assert got == [(["art.5.p1#s1"], []), (["art.5.p1#s2"], ["art.5.p1#s1"]),
                   ([], ["art.5.p1#s2"]), (["art.6#s1"], ["art.6#s1"])], got
    assert Store(path).beads()[k + 2].key == "en:art.5.p1#s2"       # applied on reading
    api = Api(store, "tester")
    views = {v["key"]: v for v in json.loads(api.handle("GET", "/api/beads")[2])["beads"]}
    assert views["en:art.5.p1#s2"]["clause"] == "art.5.p1"
    store.decide("art.5.p1#s1", "undo", "tester")
    assert [(b.key, b.ids) for b in store.beads()] == before
