"""Compile a packaged Typst template with JSON data into PDF bytes.

Fonts: Typst's bundled Libertinus Serif for Latin text and Debian's Noto CJK faces for
Chinese; system font discovery is off so the same fonts are used on every machine
(and a missing Noto CJK is an error, never tofu).
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..buildtime import build_time
from ..errors import UserError

FONT_DIRS = ("/usr/share/fonts/opentype/noto",)
REQUIRED_FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC", "Libertinus Serif")
ENGINE = "typst"


def template_dir() -> Path:
    return Path(str(resources.files(__package__) / "templates"))


def templates_hash() -> str:
    """Hash of the shipped templates: a changed template makes batch outputs stale."""
    h = hashlib.sha256()
    for p in sorted(template_dir().glob("*.typ")):
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:16]


def font_dirs(extra: tuple[str, ...] = ()) -> list[str]:
    """``extra`` folders (the context's, from CELAC_I18N_FONT_DIRS in the CLI) first,
    then Debian's."""
    dirs = [d for d in extra if d] + list(FONT_DIRS)
    return [d for d in dirs if Path(d).is_dir()]


@lru_cache(maxsize=4)
def fonts(extra: tuple[str, ...] = ()):
    import typst

    f = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True,
                    font_paths=font_dirs(extra))
    missing = [fam for fam in REQUIRED_FAMILIES if fam not in f.families()]
    if missing:
        raise UserError(f"fonts not found: {', '.join(missing)} (install Debian's "
                        "fonts-noto-cjk, or point CELAC_I18N_FONT_DIRS at a folder "
                        "holding NotoSerifCJK-*.ttc and NotoSansCJK-*.ttc)")
    return f


def engine_version() -> str:
    import typst

    try:
        from importlib.metadata import version

        return version("typst")
    except Exception:  # pragma: no cover - metadata missing in odd installs
        return getattr(typst, "__version__", "unknown")



def compile_pdf(template: str, data: dict, font_dirs: tuple[str, ...] = ()) -> bytes:
    """Render ``templates/<template>`` with ``data`` (passed as JSON) to PDF bytes;
    ``font_dirs``: folders searched for fonts before Debian's."""
    import typst

    tdir = template_dir()
    try:
        return typst.compile(str(tdir / template), root=str(tdir), font_paths=fonts(tuple(font_dirs)),
                             format="pdf", timestamp=build_time(),
                             sys_inputs={"data": json.dumps(data, ensure_ascii=False)})
    except typst.TypstError as e:  # a template bug, not a user mistake: keep the detail
        raise RuntimeError(f"typst failed on {template}: {e.message}\n{e.diagnostic}") from e
