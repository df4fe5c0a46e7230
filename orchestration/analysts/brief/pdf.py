"""PDF of a brief: Chromium's own print-to-PDF, headless, with the network off."""

import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not found:
        raise LookupError("a PDF needs headless Chromium: apt-get install chromium (or write --format html)")
    return found


def print_pdf(html: str, target: Path) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        page = Path(scratch) / "brief.html"
        page.write_text(html, encoding="utf-8")
        done = subprocess.run(
            [chromium(), *CHROMIUM_FLAGS, "--no-pdf-header-footer", f"--user-data-dir={scratch}/profile",
             "--proxy-server=127.0.0.1:9", f"--print-to-pdf={target.resolve()}", page.as_uri()],
            capture_output=True, text=True, timeout=120,
        )
    if done.returncode != 0 or not target.exists():
        raise RuntimeError(f"Chromium could not print {target}: {done.stderr.strip()[-500:]}")
