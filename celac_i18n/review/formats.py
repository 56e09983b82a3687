"""What export and import of a workspace agree on: the XML namespaces, how two segment
texts are compared, and the names under which an export records its base (the
workspace, the revision and every target as exported), so that an import can tell
what the file changed from what the workspace changed since.

Where the base travels (each where CAT tools keep metadata they do not understand):

    TMX 1.4b     <header>: <prop type="x-celac-workspace-id">, x-celac-revision,
                 x-celac-langs, x-celac-workspace, x-celac-exported;
                 <tu>: <prop type="x-celac-base-LANG">HASH</prop> per target language
    XLIFF 1.2    <header>: <note from="celac-i18n-base">{JSON}</note>;
                 <trans-unit>: <prop-group name="celac-i18n-base">
                 <prop prop-type="target">HASH</prop></prop-group>
    XLIFF 2.0    <file> and <unit>: <mda:metadata><mda:metaGroup category=
                 "celac-i18n-base"><mda:meta type="...">; the unit's also holds its
                 bead key (ids a tool rewrites are found again by it)
    JSONL        first line "base": {...}; each unit "base": {lang: HASH}

HASH is ``target_hash`` of the target as the workspace showed it ("" where it had none).
"""

from __future__ import annotations

from ..export.clean import clean_text
from ..export.tmx import xml_safe
from .records import text_hash

XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF20 = "urn:oasis:names:tc:xliff:document:2.0"
MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
BASE = "celac-i18n-base"            # XLIFF note sender, prop-group and metaGroup name
TMX_BASE = "x-celac-"               # TMX prop types: x-celac-workspace-id, x-celac-base-en
BASE_KEYS = ("workspace_id", "workspace", "revision", "langs", "pair", "exported")


def squash(text: str) -> str:
    """A segment as compared: emphasis off (to a fixed point, so the exported text and
    the workspace's compare equal), XML-unsafe characters off, spaces collapsed."""
    text = xml_safe(text or "")
    while True:
        cleaned = clean_text(text)
        if cleaned == text:
            break
        text = cleaned
    return " ".join(text.split())


def target_hash(text: str) -> str:
    return text_hash(squash(text))
