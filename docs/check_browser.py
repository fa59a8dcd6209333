"""Open the built documentation in headless Chromium and check what a reader would see.

Run after ``make docs``: ``python docs/check_browser.py [docs/_build/html]``. Checks, on the DOM that
Chromium renders (after MathJax has run):

* the theory page typesets its mathematics (MathJax's ``mjx-container`` elements, and no raw
  ``$$`` left in the text);
* a tutorial shows its figures (``<img>`` elements whose files exist) and its formulas, and the
  gallery has a figure under each caption;
* no internal link of any page is broken (the target file exists and, for ``#anchor`` links,
  the anchor is an id of that page).

Exits non-zero with one line per failure.
"""

from __future__ import annotations

import html.parser
import pathlib
import shutil
import subprocess
import sys
import urllib.parse

PAGES = {"theory": "theory/problem.html", "tutorial": "tutorials/02_one_dimension.html", "gallery": "gallery.html"}


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("check_browser: no chromium found; install it with `apt-get install -y chromium`")


def rendered_dom(browser: str, page: pathlib.Path) -> str:
    """The DOM after scripts ran: the virtual time budget lets MathJax finish typesetting."""
    result = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files",
         "--virtual-time-budget=20000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    if result.returncode != 0 or "<html" not in result.stdout:
        sys.exit(f"check_browser: chromium could not render {page}: {result.stderr.strip()[-300:]}")
    return result.stdout


class _Links(html.parser.HTMLParser):
    """hrefs, image sources and element ids of one page."""

    def __init__(self):
        super().__init__()
        self.hrefs, self.images, self.ids = [], [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if tag == "img" and attrs.get("src"):
            self.images.append(attrs["src"])


def parse(text: str) -> _Links:
    links = _Links()
    links.feed(text)
    return links


def broken_links(root: pathlib.Path) -> list[str]:
    """Internal links whose target file or anchor does not exist."""
    ids: dict[pathlib.Path, set[str]] = {}
    problems = []
    pages = sorted(root.rglob("*.html"))
    parsed = {page: parse(page.read_text(encoding="utf-8")) for page in pages}
    for page, links in parsed.items():
        ids[page.resolve()] = links.ids
    for page, links in parsed.items():
        for href in links.hrefs:
            url = urllib.parse.urlsplit(href)
            if url.scheme or url.netloc or href.startswith("mailto:"):
                continue
            target = (page.parent / urllib.parse.unquote(url.path)).resolve() if url.path else page.resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                problems.append(f"{page.relative_to(root)}: link to missing {href}")
            elif url.fragment and target.suffix == ".html" and url.fragment not in ids.get(target, set()):
                problems.append(f"{page.relative_to(root)}: link to missing anchor {href}")
    return problems


def main(argv: list[str]) -> int:
    root = pathlib.Path(argv[1] if len(argv) > 1 else pathlib.Path(__file__).parent / "_build" / "html").resolve()
    if not (root / "index.html").exists():
        sys.exit(f"check_browser: {root} has no index.html; run `make docs` first")
    browser = chromium()
    failures = []
    theory = rendered_dom(browser, root / PAGES["theory"])
    n_math = theory.count("<mjx-container")
    if n_math < 5:
        failures.append(f"{PAGES['theory']}: {n_math} typeset formulas (MathJax did not run?)")
    if "$$" in theory:
        failures.append(f"{PAGES['theory']}: raw $$ left in the rendered page")
    tutorial = rendered_dom(browser, root / PAGES["tutorial"])
    images = parse(tutorial).images
    if not images:
        failures.append(f"{PAGES['tutorial']}: no figures rendered")
    for src in images:
        if not src.startswith("data:") and not (root / PAGES["tutorial"]).parent.joinpath(src).resolve().exists():
            failures.append(f"{PAGES['tutorial']}: figure {src} is missing")
    if "<mjx-container" not in tutorial:
        failures.append(f"{PAGES['tutorial']}: no typeset formulas")
    gallery = parse((root / PAGES["gallery"]).read_text(encoding="utf-8")).images
    if len(gallery) < 4:
        failures.append(f"{PAGES['gallery']}: {len(gallery)} figures, expected one per caption (4)")
    failures += broken_links(root)
    for failure in failures:
        print(f"check_browser: {failure}", file=sys.stderr)
    if not failures:
        print(f"check_browser: ok ({n_math} formulas on the theory page, {len(images)} figures in the "
              f"tutorial, every internal link of {len(list(root.rglob('*.html')))} pages resolves)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
