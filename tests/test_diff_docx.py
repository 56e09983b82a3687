"""The diff's DOCX is the negotiating text: the new version with its own labels and
Word heading styles, every change a dated tracked revision by the named author, the
report in comments only. Accept All gives exactly the new version and Reject All
exactly the old one: checked on the XML (revisions dropped as Word drops them) and in
LibreOffice (its own Accept/Reject All, driven by a Basic macro), on planted edits of
the plan and of a real public text (the UN Charter excerpt). Also: a DOCX input with a
paragraph break inside a clause reads as one clause (no spurious split)."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_diff import build_variant

FIX = Path(__file__).parent / "fixtures"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _diff(old, new, **kw):
    from celac_i18n.diff import diff_documents
    return diff_documents(old, new, **kw)


def _docx(result, **kw):
    from celac_i18n.diff.docx import render_docx
    return render_docx(result, "old", "new", **kw)


def _xml(data: bytes, part: str = "word/document.xml") -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(part).decode()


@pytest.fixture(scope="module", params=["2022-2024:es", "2022-2024:zh:reference"])
def plan(request):
    from celac_i18n.corpus.refs import load
    old = load(request.param)
    new, _ = build_variant(old)
    res = _diff(old, new)
    return old, new, res, _docx(res, author="Ana Pérez")


def charter_pair():
    """The UN Charter excerpt (real text) and a revision with planted edits: a word
    changed, a year changed, an item removed from Article 2 (the later ones renumber),
    the last item of Article 1 moved to the end of Article 2, a sentence added."""
    from celac_i18n.parse import parse

    text = (FIX / "parallel" / "un-charter.en.txt").read_text(encoding="utf-8")
    old = parse(text, "en", where="un-charter.en.txt")
    lines = text.split("\n")
    moved = lines.pop(next(k for k, ln in enumerate(lines) if ln.startswith("4. To be a centre")))
    del lines[next(k for k, ln in enumerate(lines) if ln.startswith("3. All Members shall settle"))]
    start = next(k for k, ln in enumerate(lines) if ln == "Article 2")
    end = next(k for k, ln in enumerate(lines) if ln.startswith("7. Nothing contained"))
    lines.insert(end + 1, moved)
    n = 0
    for k in range(start, end + 2):
        m = re.match(r"\d+\. ", lines[k])
        if m:
            n += 1
            lines[k] = f"{n}. " + lines[k][m.end():]
    new_text = "\n".join(lines).replace("sovereign equality", "equal sovereignty")
    new_text = new_text.replace("of 1 January 1942", "of 1 January 1943")
    new_text = new_text.replace("in accordance with Article 110.", "in accordance with "
                                "Article 110. Their names shall be published.")
    assert new_text.count("1943") == 1 and "be published" in new_text
    new = parse(new_text, "en", where="un-charter.rev.txt")
    return old, new


# -- the XML ------------------------------------------------------------------------

def test_accept_gives_new_and_reject_gives_old_on_the_xml(plan):
    from celac_i18n.diff.docx import body_paragraphs
    from celac_i18n.diff.tracked import version_paragraphs
    from celac_i18n.ingest.docx import read_docx
    from celac_i18n.parse import parse

    old, new, res, data = plan
    assert body_paragraphs(data, "accept") == version_paragraphs(new)
    assert body_paragraphs(data, "reject") == version_paragraphs(old)
    # and the accepted text, read back as a document, is the new version unit by unit
    accepted = docx_of(body_paragraphs(data, "accept"))
    again = parse(read_docx(accepted, "a.docx")[0], new.lang)
    assert [(u.id, u.text) for u in again.units] == [(u.id, u.text) for u in new.units]


def docx_of(paragraphs) -> bytes:
    import docx
    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_the_document_is_the_plan_with_its_own_labels_and_heading_styles(plan):
    import docx

    old, new, res, data = plan
    d = docx.Document(io.BytesIO(data))
    styles = [(p.style.name, p.text) for p in d.paragraphs]
    assert styles[0][0] == "Title"
    h1 = [t for s, t in styles if s == "Heading 1"]
    h2 = [t for s, t in styles if s == "Heading 2"]
    chapters = [u for u in new.units if u.kind == "chapter"]
    sections = [u for u in new.units if u.kind == "section"]
    assert len(h1) >= len(chapters) and len(h2) >= len(sections)
    # Word's navigation pane reads the outline level of the heading styles
    assert "w:outlineLvl" in _xml(data, "word/styles.xml")
    body = "\n".join(t for _, t in styles)
    # no internal ids or report text in the text itself
    assert not re.search(r"^(?:I|II|III)\.\d", body, re.M)
    assert "(was" not in body and "Redline" not in body and "Tracked changes" not in body
    if new.lang == "es":
        assert "- 3.5. " in body and "I. Cooperación Política y de Seguridad" in body


def test_revisions_are_dated_by_the_author_and_renumbering_is_tracked(plan):
    old, new, res, data = plan
    xml = _xml(data)
    authors = set(re.findall(r'w:author="([^"]*)"', xml))
    assert authors == {"Ana Pérez"}
    dates = set(re.findall(r'w:date="([^"]*)"', xml))
    assert len(dates) == 1
    when = dt.datetime.strptime(dates.pop(), "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=dt.timezone.utc)
    assert abs((dt.datetime.now(dt.timezone.utc) - when).total_seconds()) < 600
    revs = re.findall(r"<w:(?:ins|del|moveFrom|moveTo|moveFromRangeStart|moveToRangeStart) [^>]*>",
                      xml)
    assert len(revs) > 40 and all('w:author="Ana Pérez"' in r and "w:date=" in r for r in revs)
    # chapter III became IV: its label is a deleted "III." and an inserted "IV."
    label = {"es": ("III. ", "IV. "), "zh": ("三、", "四、")}[new.lang]
    assert re.search(rf"<w:del [^>]*><w:r><w:delText[^>]*>{label[0]}</w:delText></w:r></w:del>"
                     rf"<w:ins [^>]*><w:r><w:t[^>]*>{label[1]}</w:t>", xml)
    # the moved clause is one named move, both ends
    assert len(set(re.findall(r'w:moveFromRangeStart [^>]*w:name="(\w+)"', xml))) == 1
    assert re.findall(r'w:moveFromRangeStart [^>]*w:name="(\w+)"', xml) == \
        re.findall(r'w:moveToRangeStart [^>]*w:name="(\w+)"', xml)


def test_summary_and_notes_are_comments(plan):
    old, new, res, data = plan
    comments = _xml(data, "word/comments.xml")
    assert "Accept All gives the new version" in comments
    assert "SHA-256 " + old.provenance.sha256 in comments
    assert "moved here from old I.8" in comments and "renumbered: was III" in comments
    changed = sum(1 for c in res.changes if c.kind not in ("unchanged", "renumbered"))
    assert comments.count("<w:comment ") >= changed + 1


def test_default_author_is_the_user(monkeypatch):
    from celac_i18n.diff.docx import default_author

    monkeypatch.setenv("LOGNAME", "negociadora")
    assert default_author() == "negociadora"


def test_a_changed_number_is_highlighted_and_named():
    from celac_i18n.corpus.refs import load
    from celac_i18n.diff.docx import body_paragraphs
    from celac_i18n.diff.tracked import version_paragraphs
    from celac_i18n.parse import parse

    es = load("2022-2024:es")
    text = Path(es.provenance.source).read_text(encoding="utf-8")
    new = parse(text.replace("en 2024 con motivo", "en 2025 con motivo"), "es")
    res = _diff(es, new)
    data = _docx(res)
    xml = _xml(data)
    hl = re.findall(r'<w:highlight w:val="yellow"/></w:rPr><w:(?:t|delText)[^>]*>([^<]*)<', xml)
    assert sorted(hl) == ["2024", "2025"]
    if getattr(res.changes[0], "numbers", "absent") != "absent":
        assert "2024 → 2025" in _xml(data, "word/comments.xml")
    assert body_paragraphs(data, "accept") == version_paragraphs(new)


def test_moved_and_edited_clause_rejects_to_the_old_text():
    from test_diff_outputs import _moved_and_edited

    from celac_i18n.diff.docx import body_paragraphs
    from celac_i18n.diff.tracked import version_paragraphs

    old, new = _moved_and_edited()
    data = _docx(_diff(old, new))
    assert body_paragraphs(data, "accept") == version_paragraphs(new)
    assert body_paragraphs(data, "reject") == version_paragraphs(old)
    # the words it lost on the way are named in the move's comment
    assert "deleted «cooperación»" in _xml(data, "word/comments.xml")


def test_real_document_charter_round_trip():
    from celac_i18n.diff.docx import body_paragraphs, count_revisions
    from celac_i18n.diff.tracked import version_paragraphs

    old, new = charter_pair()
    res = _diff(old, new)
    kinds = {c.kind for c in res.changes}
    assert {"modified", "removed", "moved"} <= kinds, kinds
    data = _docx(res)
    assert body_paragraphs(data, "accept") == version_paragraphs(new)
    assert body_paragraphs(data, "reject") == version_paragraphs(old)
    rev = count_revisions(data)
    assert rev["moveFrom"] == rev["moveTo"] >= 1 and rev["del"] and rev["ins"]
    import docx
    styles = {p.style.name for p in docx.Document(io.BytesIO(data)).paragraphs}
    assert {"Heading 1", "Heading 2"} <= styles        # chapters, articles


def test_across_languages_accept_gives_the_new_version():
    from celac_i18n.corpus.refs import load
    from celac_i18n.diff.docx import body_paragraphs
    from celac_i18n.diff.tracked import version_paragraphs
    from celac_i18n.parse import parse

    es = load("2022-2024:es")
    en_ref = load("2022-2024:en:reference")
    text = Path(en_ref.provenance.source).read_text(encoding="utf-8")
    drop = en_ref["I.8"].text
    assert drop in text
    en = parse(text.replace(drop, "Hold the China-CELAC Defence Forum every year, with "
                            "new partners from the private sector and academia."), "en")
    res = _diff(es, en, via="apertium", rendered=load("2022-2024:en:apertium"))
    assert any(c.kind == "modified" and c.new == ["I.8"] for c in res.changes)
    data = _docx(res)
    assert body_paragraphs(data, "accept") == version_paragraphs(en)
    rejected = "\n".join(body_paragraphs(data, "reject"))
    # a changed clause is put back in its old wording (Spanish); an unchanged one stays
    assert es["I.8"].text in rejected and en["I.1"].text in rejected
    assert "Across languages" in _xml(data, "word/comments.xml")


# -- property: any edit script, accept and reject give the two versions ---------------

_WORDS = ["cooperación", "desarrollo", "Partes", "2024", "comercio", "foro", "apoyo",
          "y", "la", "de", "los", "Estados"]


@st.composite
def _versions(draw):
    from celac_i18n.model import Document, Provenance, Unit

    def clause(k, words, parent):
        return Unit(f"{parent}.{k}", "clause", f"{k}.", "", " ".join(words) + ".", parent=parent)

    sentence = st.lists(st.sampled_from(_WORDS), min_size=2, max_size=9)
    old_texts = draw(st.lists(sentence, min_size=1, max_size=8))
    new_texts = list(old_texts)
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.sampled_from(["del", "ins", "edit", "swap"]))
        if op == "del" and len(new_texts) > 1:
            new_texts.pop(draw(st.integers(0, len(new_texts) - 1)))
        elif op == "ins":
            new_texts.insert(draw(st.integers(0, len(new_texts))), draw(sentence))
        elif op == "edit" and new_texts:
            k = draw(st.integers(0, len(new_texts) - 1))
            new_texts[k] = new_texts[k][:-1] + [draw(st.sampled_from(_WORDS))]
        elif op == "swap" and len(new_texts) > 1:
            a, b = draw(st.integers(0, len(new_texts) - 1)), draw(st.integers(0, len(new_texts) - 1))
            new_texts[a], new_texts[b] = new_texts[b], new_texts[a]

    def doc(texts, name):
        units = [Unit("I", "chapter", "I.", "Uno", "Uno")]
        units += [clause(k, t, "I") for k, t in enumerate(texts, 1)]
        return Document("es", units, Provenance(name))
    return doc(old_texts, "a"), doc(new_texts, "b")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_versions())
def test_property_any_edits_accept_and_reject_exact(pair):
    from celac_i18n.diff.tracked import accept, reject, tracked_paragraphs, version_paragraphs

    old, new = pair
    paras = tracked_paragraphs(_diff(old, new))
    assert accept(paras) == version_paragraphs(new)
    assert reject(paras) == version_paragraphs(old)


# -- LibreOffice ----------------------------------------------------------------------

_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub Apply(src As String, cmd As String, dst As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = "Hidden" : args(0).Value = True
  Dim doc As Object
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(src), "_blank", 0, args())
  Dim disp As Object
  disp = createUnoService("com.sun.star.frame.DispatchHelper")
  disp.executeDispatch(doc.getCurrentController().getFrame(), cmd, "", 0, Array())
  Dim props(1) As New com.sun.star.beans.PropertyValue
  props(0).Name = "FilterName" : props(0).Value = "Text (encoded)"
  props(1).Name = "FilterOptions" : props(1).Value = "UTF8,LF"
  doc.storeToURL(ConvertToURL(dst), props())
  doc.close(True)
End Sub
Sub Versions(src As String, accepted As String, rejected As String)
  Apply(src, ".uno:AcceptAllTrackedChanges", accepted)
  Apply(src, ".uno:RejectAllTrackedChanges", rejected)
  StarDesktop.terminate()
End Sub
</script:module>
"""


@pytest.fixture(scope="module")
def libreoffice(tmp_path_factory):
    """A function: .docx bytes -> (text after Accept All, text after Reject All), as
    LibreOffice gives them (one line per paragraph)."""
    if not shutil.which("soffice"):
        pytest.skip("needs LibreOffice (scripts/setup.sh installs libreoffice-writer-nogui)")
    root = tmp_path_factory.mktemp("lo")
    profile = f"-env:UserInstallation=file://{root}/profile"
    subprocess.run(["soffice", "--headless", profile, "--terminate_after_init"],
                   capture_output=True, timeout=180)
    module = root / "profile" / "user" / "basic" / "Standard" / "Module1.xba"
    assert module.exists(), "LibreOffice did not create its user profile"
    module.write_text(_MACRO, encoding="utf-8")

    def run(data: bytes, name: str):
        src, acc, rej = root / f"{name}.docx", root / f"{name}.acc.txt", root / f"{name}.rej.txt"
        src.write_bytes(data)
        # a fresh profile's first macro run can fail without saying why: once more
        for _ in range(2):
            subprocess.run(["soffice", "--headless", profile,
                            f'macro:///Standard.Module1.Versions("{src}","{acc}","{rej}")'],
                           capture_output=True, timeout=180)
            if acc.exists() and rej.exists():
                break
        assert acc.exists() and rej.exists(), "LibreOffice wrote no text"
        return [p.read_text(encoding="utf-8-sig").split("\n")[:-1] for p in (acc, rej)]
    return run


def test_libreoffice_accept_all_and_reject_all(plan, libreoffice):
    from celac_i18n.diff.tracked import version_paragraphs

    old, new, res, data = plan
    if new.lang == "zh":
        pytest.skip("one language is enough for LibreOffice (the XML test covers zh)")
    accepted, rejected = libreoffice(data, new.lang)
    assert accepted == version_paragraphs(new)
    assert rejected == version_paragraphs(old)


def test_libreoffice_on_the_real_document_and_a_moved_edited_clause(libreoffice):
    from test_diff_outputs import _moved_and_edited

    from celac_i18n.diff.tracked import version_paragraphs

    for name, (old, new) in (("charter", charter_pair()), ("moved", _moved_and_edited())):
        accepted, rejected = libreoffice(_docx(_diff(old, new)), name)
        assert accepted == version_paragraphs(new), name
        assert rejected == version_paragraphs(old), name


# -- DOCX input: a paragraph break inside a clause -------------------------------------

def _plan_docx(doc, breaks: dict) -> bytes:
    """The version as Word paragraphs, the units in ``breaks`` cut in two at the given
    words (a paragraph break inside the clause)."""
    from celac_i18n.diff.tracked import version_paragraphs

    out = []
    for u, line in zip(doc.units, version_paragraphs(doc)):
        if u.id in breaks:
            at = line.index(breaks[u.id])
            out += [line[:at].rstrip(), line[at:]]
        else:
            out.append(line)
    return docx_of(out)


@pytest.mark.parametrize("ref,breaks", [
    ("2022-2024:es", {"I.3": "Acuerdan promover", "II.1.3": "y optimizar el entorno"}),
    ("2022-2024:zh:reference", {"I.3": "同意推动"}),
    ("charter", {"art.2.7": "but this principle", "art.1.1": "and to bring about"}),
])
def test_docx_paragraph_break_inside_a_clause_is_one_clause(ref, breaks):
    from celac_i18n.corpus.refs import load
    from celac_i18n.ingest.docx import read_docx
    from celac_i18n.parse import parse

    old = charter_pair()[0] if ref == "charter" else load(ref)
    for uid, words in breaks.items():
        assert words in old[uid].text, (uid, words)
    text, _ = read_docx(_plan_docx(old, breaks), "plan.docx")
    new = parse(text, old.lang)
    assert [(u.id, u.text) for u in new.units] == [(u.id, u.text) for u in old.units]
    assert {c.kind for c in _diff(old, new).changes} == {"unchanged"}


def test_docx_unnumbered_paragraphs_that_are_not_continuations_stay_apart():
    from celac_i18n.ingest.docx import read_docx
    from celac_i18n.parse import parse

    data = docx_of(["I. Cooperación", "1. Fortalecer los contactos.",
                    "2. Explorar la Cumbre.", "Las Partes acuerdan revisar el plan en 2024.",
                    "II. Finanzas", "Sección sin número", "1. Profundizar la cooperación."])
    doc = parse(read_docx(data, "x.docx")[0], "es")
    texts = {u.id: u.text for u in doc.units}
    assert texts["I.2"] == "Explorar la Cumbre."          # a closing paragraph, not I.2's
    assert "Las Partes acuerdan revisar el plan en 2024." in texts.values()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(
    st.text(max_size=40),
    st.builds(lambda n, t: f"{n} {t}", st.sampled_from(["1.", "2.", "- 3.5.", "(a)", "IV.",
                                                         "二、", "（三）", "3.1"]),
              st.text(max_size=40))), max_size=12))
def test_property_docx_reader_keeps_every_paragraph(paragraphs):
    # never crashes; every paragraph's words reach the text, in order
    from celac_i18n.ingest.docx import read_docx

    clean = ["".join(ch for ch in p if ch.isprintable() and ch not in "\x0b\x0c").strip()
             for p in paragraphs]
    text, _ = read_docx(docx_of(clean), "p.docx")
    flat = " ".join(text.split())
    pos = 0
    for p in clean:
        if p.strip():
            at = flat.find(" ".join(p.split()), pos)
            assert at >= 0, (p, flat)
            pos = at
