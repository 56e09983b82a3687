"""A CAT round trip through translate-toolkit (a library CAT tools and Pootle/Weblate
build on): export the workspace as TMX, XLIFF 1.2 and XLIFF 2.0, load it with
translate-toolkit, edit one target there, save, import, and find the edit recorded as
a decision. OmegaT's own round trip is in test_omegat.py (where OmegaT is installed)."""

from __future__ import annotations

import pytest

from celac_i18n.review.build import init_workspace
from celac_i18n.review.exchange import export_bytes
from celac_i18n.review.importing import import_file

pytest.importorskip("translate.storage.factory")
NEW = "加强高层交往，扩大治国理政经验交流。"


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    d = tmp_path_factory.mktemp("cat")
    return init_workspace(d / "plan.review", ["2022-2024:es", "2022-2024:zh"])


def _load(fmt: str, path):
    if fmt == "xliff-2.0":
        # translate-toolkit's factory sends .xliff to its 1.2 class; 2.0 has its own
        from translate.storage.xliff2 import Xliff2File

        with open(path, "rb") as fh:
            return Xliff2File(fh.read())
    from translate.storage import factory

    return factory.getobject(str(path))


@pytest.mark.parametrize("fmt,suffix", [("tmx", "tmx"), ("xliff-1.2", "xlf"),
                                        ("xliff-2.0", "xliff")])
def test_translate_toolkit_round_trip(ws, tmp_path, fmt, suffix):
    ws.decide("I.2", "accept", "ana")
    data = export_bytes(ws, fmt)[0]
    path = tmp_path / f"plan.{suffix}"
    path.write_bytes(data)
    store = _load(fmt, path)
    units = [u for u in store.units if u.source]
    assert len(units) >= len(ws.beads()) - 2
    by_id = {u.getid().split("\x04")[-1]: u for u in units}     # 1.2 ids are file\x04id
    assert "I.1" in by_id and "II.1.6" in by_id
    assert by_id["I.1"].source == ws.bead("I.1").texts["es"]
    assert by_id["I.1"].target == ws.bead("I.1").texts["zh"]
    # clean text: no Markdown asterisks reach the CAT tool
    assert not any("*" in u.source for u in units)
    if fmt == "xliff-1.2":
        assert by_id["I.2"].isapproved() and not by_id["I.1"].isapproved()
    by_id["I.1"].target = NEW
    out = tmp_path / f"edited.{suffix}"
    out.write_bytes(bytes(store))
    res = import_file(ws, out.read_bytes(), "cat-tool", f"import:{out.name}")
    assert (res.edits, res.stale, res.unknown) == (1, [], []), res
    st = ws.states()["I.1"]
    assert st.edits["zh"]["text"] == NEW and st.edits["zh"]["origin"] == f"import:{out.name}"
    ws.decide("I.1", "undo", "ana")           # the next format starts from the same state
