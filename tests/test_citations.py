"""The project cites only files it contains (issue 16): every docs/... page named in the code,
README, tests, notebooks and benchmarks exists, and no text names a theory file outside the project."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [*ROOT.glob("ga_relu/**/*.py"), *ROOT.glob("tests/*.py"), *ROOT.glob("benchmarks/*.py"),
           *ROOT.glob("notebooks/*.ipynb"), ROOT / "README.md", *ROOT.glob("docs/**/*.md")]
SOURCES = [p for p in SOURCES if "_build" not in p.parts and "generated" not in p.parts]


def cited_docs(text: str) -> set[str]:
    return set(re.findall(r"docs/[\w/.-]+?\.md", text))


def test_every_cited_docs_page_exists():
    missing = sorted(f"{p.relative_to(ROOT)} cites {ref}" for p in SOURCES if p.name != "test_citations.py"
                     for ref in cited_docs(p.read_text(encoding="utf-8")) if not (ROOT / ref).exists())
    assert not missing, missing


def test_no_text_cites_the_workspace_theory_file():
    # the workspace's reference lives outside the repository; the project's own account is docs/theory/
    outside = re.compile(r"(?<!docs/theory/)\btheory\.md|shared/theory")
    offenders = sorted(str(p.relative_to(ROOT)) for p in SOURCES
                       if p.name != "test_citations.py" and outside.search(p.read_text(encoding="utf-8")))
    assert not offenders, offenders


def test_the_citation_check_can_fail():
    assert cited_docs("see docs/theory/missing_page.md") == {"docs/theory/missing_page.md"}
    assert not (ROOT / "docs/theory/missing_page.md").exists()
