"""README's job-key reference, made from the operations' own declarations so that it
cannot drift from what batch accepts (tests/test_ops.py compares the two).

    python -m celac_i18n.ops.reference     # print the section
"""

from __future__ import annotations

_TYPES = {str: "string", int: "integer", float: "number", bool: "true/false",
          list: "list of strings"}


def _default(o) -> str:
    if o.default is None or o.default is False or o.default in ("", []):
        return ""
    return f"`{o.default}`"


def job_keys_markdown() -> str:
    from . import OPERATIONS, get

    out = []
    for name in OPERATIONS:
        op = get(name)
        lo, hi = op.arity()
        n = str(lo) if lo == hi else f"{lo}–{hi or 'n'}"
        suffixes = ", ".join(f"`.{s}`" for s in op.suffixes)
        out.append(f"**`do = \"{name}\"`** — {op.summary} Inputs: {n} "
                   f"({' '.join(op.arguments)}). Path suffixes: {suffixes}.\n")
        if not op.options:
            out.append("No options.\n")
            continue
        out.append("| key | type | default | what it does |\n|---|---|---|---|")
        for o in op.options:
            kind = _TYPES[o.type] + (f": {', '.join(map(str, o.choices))}" if o.choices else "")
            if o.input:
                kind += " (an input: hashed for the up-to-date check)"
            out.append(f"| `{o.name}` | {kind} | {_default(o)} | "
                       f"{o.help.replace('|', '/')} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    print(job_keys_markdown(), end="")
