"""Apertium (rule-based) through long-lived, null-flushed pipelines.

``apertium -z`` waits for the end of its input, so it cannot serve segment by segment;
a process per segment costs ~110 ms. Instead we run the pipeline that
``apertium-wblank-mode -z`` builds from the pair's .mode file, once per language pair,
and talk to it one NUL-terminated segment at a time (~1-3 ms each).

Input is escaped for the Apertium stream format (as ``apertium-destxt`` does) and the
output unescaped. The generator runs with ``-n`` (what ``apertium -u`` does), so no
unknown-word marks (``*`` unknown, ``#`` generation error, ``@`` transfer error) are
produced; a mark that still slips through is stripped and counted.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import select
import signal
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import UserError
from .base import Engine

MODES_DIR = Path(os.environ.get("APERTIUM_MODES", "/usr/share/apertium/modes"))
# (src, tgt) → mode names to try, first found wins. Portuguese: Brazilian when present.
MODES = {
    ("es", "en"): ("spa-eng", "es-en"),
    ("en", "es"): ("eng-spa", "en-es"),
    ("es", "pt"): ("es-pt_BR", "es-pt"),
    ("pt", "es"): ("pt-es",),
}
PACKAGES = {("es", "en"): "apertium-eng-spa", ("en", "es"): "apertium-eng-spa",
            ("es", "pt"): "apertium-es-pt", ("pt", "es"): "apertium-es-pt"}
_ESCAPE = re.compile(r"([\\\[\]^$/<>{}@])")
_UNESCAPE = re.compile(r"\\(.)", re.S)
_MARK = re.compile(r"(?<![\w*#@])[*#@](?=\w)")
# Seconds without any output before a pipeline counts as stuck (it has never needed
# more than a fraction of a second per segment).
STALL_S = 20.0


def _protect(text: str) -> tuple[str, str | None]:
    """Put a private-use character in place of "^": an escaped "^" as the last token of a
    segment makes the pipeline swallow the segment's NUL (found by the property test),
    which would shift every later output. Private-use characters pass through unchanged."""
    if "^" not in text:
        return text, None
    for cp in range(0xE000, 0xF900):
        if chr(cp) not in text:
            return text.replace("^", chr(cp)), chr(cp)
    return text.replace("^", " "), None


def escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


def unescape(text: str) -> str:
    return _UNESCAPE.sub(r"\1", text)


@functools.cache
def package_version(package: str) -> str:
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package],
                             capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else "unknown"


def find_mode(src: str, tgt: str) -> Path | None:
    for name in MODES.get((src, tgt), ()):
        path = MODES_DIR / f"{name}.mode"
        if path.exists():
            return path
    return None


class _Pipeline:
    """One long-lived pipeline for one mode; segments in and out, NUL-terminated."""

    def __init__(self, mode: Path) -> None:
        if not shutil.which("apertium-wblank-mode"):
            raise UserError("apertium is not installed (Debian: apt-get install apertium "
                            "apertium-eng-spa apertium-es-pt)")
        script = subprocess.run(["apertium-wblank-mode", "-z", str(mode)], capture_output=True,
                                text=True, check=True).stdout.strip()
        self.mode = mode
        self._err = tempfile.TemporaryFile()
        # $1: generator option (-n: no unknown-word marks), $2: tagger option (none).
        self.proc = subprocess.Popen(["bash", "-c", script, "apertium", "-n", ""],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self._err, bufsize=0,
                                     env={**os.environ, "LC_ALL": "C.UTF-8"},
                                     start_new_session=True)
        self._fd = self.proc.stdout.fileno()
        self._buf = b""

    def translate_many(self, texts: list[str]) -> list[str]:
        """Stream all segments in while reading results out: the pipeline stays full, so a
        batch runs at whole-text speed; a writer thread keeps both pipes from filling up."""
        import threading

        # A trailing blank: without one the last punctuation mark waits for more input.
        protected = [_protect(" ".join(t.replace("\0", " ").split())) for t in texts]
        data = b"".join(escape(t).encode("utf-8") + b" \0" for t, _ in protected)

        def write() -> None:
            try:
                self.proc.stdin.write(data)
                self.proc.stdin.flush()
            except (OSError, ValueError):   # the pipeline died; the reader reports it
                pass

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        out: list[str] = []
        while len(out) < len(texts):
            while b"\0" not in self._buf:
                ready, _, _ = select.select([self._fd], [], [], STALL_S)
                chunk = os.read(self._fd, 1 << 16) if ready else b""
                if not chunk:
                    what = "stopped" if ready else f"stalled for {STALL_S:.0f} s"
                    msg = (f"apertium ({self.mode.name}) {what} at segment {len(out) + 1} of "
                           f"{len(texts)} ({texts[len(out)][:60]!r}); {self.stderr_tail()}")
                    self.kill()        # never reuse a pipeline that may be out of step
                    raise RuntimeError(msg)
                self._buf += chunk
            piece, _, self._buf = self._buf.partition(b"\0")
            text = " ".join(unescape(piece.decode("utf-8")).split())
            mark = protected[len(out)][1]
            out.append(text.replace(mark, "^") if mark else text)
        writer.join()
        return out

    def stderr_tail(self) -> str:
        try:
            self._err.seek(0)
            return self._err.read().decode("utf-8", "replace").strip()[-500:] or "no message"
        except ValueError:          # already closed
            return "no message"

    def kill(self) -> None:
        """Stop the whole pipeline (its own process group), not just the shell."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.close()

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.kill()
                return
        self._err.close()


class ApertiumEngine(Engine):
    name = "apertium"
    segment = "unit"
    batch_size = 64

    def __init__(self, model: str | None = None, per_segment: bool = False) -> None:
        super().__init__(model)
        if model:
            raise UserError("engine apertium takes no --model (its language data is the "
                            "installed Debian package)")
        self.per_segment = per_segment     # one process per segment: for benchmarks only
        self._pipes: dict[Path, _Pipeline] = {}
        self.marks_stripped = 0

    @property
    def version(self) -> str:
        return package_version("apertium")

    def pairs(self) -> set[tuple[str, str]]:
        return {pair for pair in MODES if find_mode(*pair)}

    def pair_hint(self, src: str, tgt: str) -> str:
        if tgt == "zh" or src == "zh":
            return ("; Apertium has no Chinese: use --engine hf --model PATH with a "
                    "MarianMT/NLLB model (see the README)")
        return ""

    def data_version(self, src: str, tgt: str) -> str:
        pkg = PACKAGES.get((src, tgt), "")
        return f"{pkg} {package_version(pkg)}" if pkg else ""

    def mode_name(self, src: str, tgt: str) -> str:
        mode = find_mode(src, tgt)
        return mode.stem if mode else ""

    def model_label(self, src: str, tgt: str) -> str:
        return f"{self.mode_name(src, tgt)} ({self.data_version(src, tgt)})"

    def model_fields(self, src: str, tgt: str) -> dict[str, str]:
        return {"mode": self.mode_name(src, tgt),
                "data": self.data_version(src, tgt).replace(" ", ":")}

    def cache_key(self, src: str, tgt: str):
        # The language data and the mode are part of what produced the text.
        name, model, version, s, t = super().cache_key(src, tgt)
        return (name, f"{self.mode_name(src, tgt)};{self.data_version(src, tgt)}", version, s, t)

    def _translate(self, segments: list[str], src: str, tgt: str) -> list[str]:
        mode = find_mode(src, tgt)
        if self.per_segment:
            return [self._one_shot(mode, s) for s in segments]
        pipe = self._pipes.get(mode)
        if pipe is None:
            pipe = self._pipes[mode] = _Pipeline(mode)
        try:
            out = pipe.translate_many(segments)
        except RuntimeError:
            self._pipes.pop(mode, None)     # a fresh pipeline next time
            raise
        return [self._clean(o, s) for o, s in zip(out, segments)]

    def _one_shot(self, mode: Path, text: str) -> str:
        out = subprocess.run(["apertium", "-u", "-f", "txt", "-d", str(mode.parent.parent),
                              mode.stem], input=text.replace("\n", " "), capture_output=True,
                             text=True, check=True)
        return self._clean(out.stdout.strip(), text)

    def _clean(self, out: str, source: str) -> str:
        """Strip unknown-word marks the source did not have."""
        if _MARK.search(out) and not _MARK.search(source):
            self.marks_stripped += len(_MARK.findall(out))
            out = _MARK.sub("", out)
        return out

    def close(self) -> None:
        for pipe in self._pipes.values():
            pipe.close()
        self._pipes.clear()
