"""Every page header with an h1 and two or more action buttons uses the one header pattern (class "page-header",
the buttons in "page-actions", static/css/app.css): on a phone the title gets its own line and the buttons one row
under it (issue 26; tests/browser/test_headers_on_phone.py looks at the pages). And every year box of the
assessment period forms is a "year-input" (wide enough for the year on a phone)."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
BUTTON = re.compile(r'class="[^"]*\bbtn\b')


def _block(text, start):
    """The text of the <div> opened at ``start`` up to its matching </div>."""
    depth = 0
    for tag in re.finditer(r"<div\b|</div>", text[start:]):
        depth += 1 if tag.group() == "<div" else -1
        if depth == 0:
            return text[start : start + tag.end()]
    return text[start:]


def _headers():
    """(template, opening tag, the block) of each flex row holding an h1 (directly or in its first child)."""
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for h1 in re.finditer(r"<h1\b", text):
            start = max(
                text.rfind('<div class="d-flex', 0, h1.start()), text.rfind('<div class="page-header', 0, h1.start())
            )
            if start < 0 or text[start : h1.start()].count("\n") > 3:
                continue
            block = _block(text, start)
            if h1.start() < start + len(block):
                yield path.relative_to(TEMPLATES).as_posix(), text[start : text.find(">", start) + 1], block


def test_headers_with_several_buttons_use_the_page_header_pattern():
    found, wrong = [], []
    for name, tag, block in _headers():
        buttons = len(BUTTON.findall(block[block.find("</h1>") :]))
        if buttons < 2:
            continue
        found.append(name)
        if "page-header" not in tag or 'class="page-actions' not in block:
            wrong.append(f"{name}: {tag}")
    assert len(found) >= 10, found  # the scan sees them (project list, my projects, complaint detail …)
    assert not wrong, "\n".join(wrong)


def test_the_assessment_year_boxes_are_year_inputs():
    missing = []
    for path in sorted((TEMPLATES / "assessment").glob("*.html")):
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r'<input[^>]*name="year"[^>]*>', text):
            if 'type="hidden"' not in tag and "year-input" not in tag:
                missing.append(f"{path.name}: {tag}")
        for field in re.findall(r"\{\{ *\w+\.year\|add_class:\"([^\"]*)\" *\}\}", text):
            if "year-input" not in field:
                missing.append(f"{path.name}: year|add_class:{field}")
    assert not missing, "\n".join(missing)
