"""Screenshot the HTML validation report in a real headless browser (Chromium), to look at it.

    python benchmarks/report_screenshot.py                       # the committed output/validation_report.html
    python benchmarks/report_screenshot.py --corpus 30           # a fresh run on 30 answers of mixed layout
    python benchmarks/report_screenshot.py --report some/validation_report.html --height 6000

Writes a PNG (default: report-screenshot.png in a temporary folder) and prints its path and the
report's size. The report must render with nothing loaded from elsewhere: Chromium runs with a
fresh profile, no network services, and the page's own Content-Security-Policy. Needs Chromium
(Debian: `apt-get install chromium`); says so and exits 2 without it.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def find_browser() -> str | None:
    return next((path for path in map(shutil.which, BROWSERS) if path), None)


def screenshot(browser: str, page: Path, png: Path, width: int, height: int) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
             f"--screenshot={png}", f"--window-size={width},{height}", page.resolve().as_uri()],
            check=True, capture_output=True, timeout=120,
        )


def fresh_report(count: int, folder: Path) -> Path:
    """The report of a run on `count` answers of mixed layout (the benchmark's corpus)."""
    from benchmarks.run import build_corpus

    build_corpus(folder / "raw", count)
    subprocess.run([sys.executable, "-m", "pipeline", "run", "--raw", str(folder / "raw"), "--out",
                    str(folder / "out"), "--no-cache", "--quiet"], cwd=ROOT, check=False)
    return folder / "out" / "validation_report.html"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--report", type=Path, default=ROOT / "output" / "validation_report.html",
                        help="the HTML report to look at (default: output/validation_report.html)")
    source.add_argument("--corpus", type=int, metavar="N", help="run the pipeline on N answers and look at that report")
    parser.add_argument("--png", type=Path, help="where to write the screenshot")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=2000)
    args = parser.parse_args()
    browser = find_browser()
    if browser is None:
        print("report_screenshot: no Chromium found (Debian: apt-get install chromium)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="report-screenshot-"))
    report = fresh_report(args.corpus, work) if args.corpus else args.report
    if not report.is_file():
        print(f"report_screenshot: {report} does not exist", file=sys.stderr)
        return 2
    png = args.png or work / "report-screenshot.png"
    screenshot(browser, report, png, args.width, args.height)
    print(f"{png} ({report}: {report.stat().st_size / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
