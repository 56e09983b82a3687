"""Debian's chromium driven by Playwright, for the review page's browser tests: where it
is, how it starts on this closed network, and one page on a served review app."""

from __future__ import annotations

import contextlib
import shutil
import threading
from pathlib import Path

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists()
                                        else None)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@contextlib.contextmanager
def served_page(pw_api, srv, shot: Path):
    """A 1400×1000 page on ``srv`` (served on a thread for the block); a failure inside
    the block leaves a screenshot at ``shot``; browser and server are shut at the end."""
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        with pw_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            pg = browser.new_page(viewport={"width": 1400, "height": 1000})
            try:
                yield pg
            except Exception as e:
                pg.screenshot(path=str(shot))
                raise AssertionError(f"browser test failed ({e}); screenshot at {shot}") from e
            finally:
                browser.close()
    finally:
        srv.shutdown()
        srv.server_close()
