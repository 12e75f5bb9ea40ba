"""A long report's PDF laid out in parts, so WeasyPrint's memory stays bounded (issue 30).

WeasyPrint keeps the whole box tree (and a Pango layout per text box) of every page until it writes the PDF: its
memory grows with the document — the bulletin over 2,850 counties (355 pages) peaked at 2.8 GB RSS, 579 MB laid out
in parts (docs/performance.md). Here the same HTML is laid out ten-odd pages at a time, and the pages come out the
same as in one piece:

- A part starts at a table row that starts a page of the one-piece layout: the row's open ancestors are opened
  again (with the top margin a continued box has on a new page: none) and its table's header is repeated, as
  WeasyPrint repeats it on every page of a long table. The ``<style>`` blocks of the body come along.
- A part stops a few hundred rows further on; of its pages, those before the last page that starts with a row
  (and is followed by at least one more page) are kept, and the next part starts at that row. The cut rows at the
  end only change the part's last pages, which are laid out again by the next part.
- "第 x 页 共 y 页" needs the whole document's page count: the parts are laid out without ``@bottom-center``; once
  the count is known, one light document of as many empty pages carries only the footers, and each page of it
  is stamped onto its page of the parts (pypdf), where WeasyPrint would have drawn it (after the page's content).

Only the body rows of tables not nested in another table are split points: a document whose pages never start
with such a row is laid out in one piece, as is any HTML under ``SPLIT_FROM_ROWS`` rows (the province's bulletin,
the annual report), one with ``:first``/``:left``/``:right`` page rules, and one with a named page (the annual
report's landscape tables).
"""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass
from io import BytesIO

SPLIT_FROM_ROWS = 2000  # table rows of the HTML from which it is laid out in parts
ROWS_PER_PART = 300  # rows laid out at a time (~10 pages of the bulletin's tables)
ROW_ATTR = "data-pdf-row"

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_TOKEN = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][\w:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
_RAW = {"style", "script"}
NO_FOOTER = "<style>@page { @bottom-center { content: none; } }</style>"
ONLY_FOOTER = "<style>@page { @top-left { content: none; } @top-right { content: none; } }</style>"
CONTINUED = "margin-top:0 !important;padding-top:0 !important;border-top-width:0 !important;"
CONTINUED_TABLE = "margin-top:0 !important;"


@dataclass
class _Open:
    tag: str
    start: int  # the opening tag's span in the numbered HTML
    end: int


class _Scan:
    """The numbered HTML and, for each table row, the elements open around it (one pass of a tag scanner)."""

    def __init__(self, html: str):
        counter = iter(range(10**9))
        # number every <tr> (header rows too: they are never split points, but their boxes are recognised)
        self.html = re.sub(r"<tr(?=[\s>])", lambda m: f'<tr {ROW_ATTR}="{next(counter)}"', html)
        self.rows: list[int] = []  # position of each body row's <tr
        self.stacks: list[tuple[_Open, ...]] = []
        self.theads: dict[int, str] = {}  # table start → its <thead>…</thead>
        self.body_styles: list[str] = []
        self.body: _Open | None = None
        self.head_end = self.html.find("</head>")
        self.index_of: dict[int, int] = {}  # a row's number (every <tr>) → its index among the body rows
        stack: list[_Open] = []
        pos = 0
        text = self.html
        while True:
            match = _TOKEN.search(text, pos)
            if not match:
                break
            pos = match.end()
            closing, tag, attrs = match.group(1), (match.group(2) or "").lower(), match.group(3) or ""
            if not tag:
                continue  # a comment
            if closing:
                for i in range(len(stack) - 1, -1, -1):
                    if stack[i].tag == tag:
                        if tag == "thead" and i and stack[i - 1].tag == "table":
                            self.theads[stack[i - 1].start] = text[stack[i].start : match.end()]
                        del stack[i:]
                        break
                continue
            if tag in _RAW:
                end = text.find(f"</{tag}>", pos)
                end = len(text) if end < 0 else end + len(tag) + 3
                if tag == "style" and self.body is not None:
                    self.body_styles.append(text[match.start() : end])
                pos = end
                continue
            opened = _Open(tag, match.start(), match.end())
            if tag == "body":
                self.body = opened
            if tag == "tr" and stack and stack[-1].tag == "tbody" and [e.tag for e in stack].count("table") == 1:
                number = re.search(ROW_ATTR + r'="(\d+)"', attrs)
                if number:
                    self.index_of[int(number.group(1))] = len(self.rows)
                self.rows.append(match.start())
                self.stacks.append(tuple(stack))
            if tag in _VOID or attrs.rstrip().endswith("/"):
                continue
            stack.append(opened)

    def opening(self, element: _Open, style: str) -> str:
        tag = self.html[element.start : element.end]
        if re.search(r"\sstyle\s*=\s*\"", tag):
            return re.sub(r"(\sstyle\s*=\s*\")", lambda m: m.group(1) + style, tag, count=1)
        return tag[:-1].rstrip("/") + f' style="{style}">'

    def part(self, first_row: int | None, stop_row: int | None) -> str:
        """The HTML from body row ``first_row`` (None: the beginning) to just before ``stop_row`` (None: the end),
        without the footer."""
        html = self.html
        stop = self.rows[stop_row] if stop_row is not None else len(html)
        head = html[: self.head_end] + NO_FOOTER
        if first_row is None:
            return head + html[self.head_end : stop]
        assert self.body is not None
        pieces = [head, html[self.head_end : self.body.start], self.opening(self.body, CONTINUED), *self.body_styles]
        for element in self.stacks[first_row]:
            if element is self.body or element.tag in ("html", "head"):
                continue
            if element.tag == "table":
                pieces.append(self.opening(element, CONTINUED_TABLE))
                pieces.append(self.theads.get(element.start, ""))
            elif element.tag in ("tbody", "tr"):
                pieces.append(html[element.start : element.end])
            else:
                pieces.append(self.opening(element, CONTINUED))
        pieces.append(html[self.rows[first_row] : stop])
        return "".join(pieces)

    def footers(self, pages: int) -> str:
        """As many empty pages as the document has, with the document's page rules and only their footer."""
        assert self.body is not None
        blank = '<div style="break-before: page"></div>'
        return (
            self.html[: self.head_end]
            + ONLY_FOOTER
            + "</head><body>"
            + "".join(self.body_styles)
            + "<div></div>"
            + blank * (pages - 1)
            + "</body></html>"
        )


def _leading_row(page) -> int | None:
    """The number of the body row that starts this laid-out page (nothing of it but its ancestors and the
    repeated table header before it), or None."""
    from weasyprint.formatting_structure import boxes

    box = page._page_box.children[0] if page._page_box.children else None
    while box is not None:
        if isinstance(box, boxes.TableRowBox):
            element = getattr(box, "element", None)
            value = element.get(ROW_ATTR) if element is not None else None
            return int(value) if value is not None else None
        children = [
            child
            for child in getattr(box, "children", ())
            if not (isinstance(child, boxes.TableRowGroupBox) and child.is_header)
        ]
        if not children or isinstance(box, boxes.TableRowGroupBox) and box.is_header:
            return None
        box = children[0]
    return None


def _size(page) -> tuple[float, float]:
    box = page.mediabox
    return (round(float(box.width), 1), round(float(box.height), 1))


def row_count(html: str) -> int:
    return len(re.findall(r"<tr[\s>]", html))


def can_split(html: str) -> bool:
    """Page rules for the first, left, right or blank page would apply to each part's first page or side."""
    return not re.search(r"@page[^{]*:(first|left|right|blank)", html)


def write_pdf_in_parts(html: str, *, rows_per_part: int = ROWS_PER_PART, base_url: str = ".") -> bytes:
    """The PDF of ``html``, the same pages as ``HTML(string=html).write_pdf()``, laid out part by part."""
    from pypdf import PdfReader, PdfWriter
    from weasyprint import HTML

    scan = _Scan(html)
    chunks: list[bytes] = []
    first: int | None = None
    total = len(scan.rows)
    step = rows_per_part
    while True:
        start = 0 if first is None else first
        stop = start + step if start + step < total else None
        document = HTML(string=scan.part(first, stop), base_url=base_url).render()
        pages = document.pages
        if any(page._page_box.page_type.name for page in pages):
            # a named page (a landscape table): its own margins and footer, which the footers' pages do not have
            del document, pages
            gc.collect()
            return HTML(string=html, base_url=base_url).write_pdf()
        keep, next_first = len(pages), None
        if stop is not None:
            # the last page that starts with a row later than this part's first, followed by another page
            for index in range(len(pages) - 2, 0, -1):
                numbered = _leading_row(pages[index])
                row = scan.index_of.get(numbered) if numbered is not None else None
                if row is not None and row > start:
                    keep, next_first = index, row
                    break
            if next_first is None:
                del document, pages
                gc.collect()
                step *= 2  # no page of this part starts with a row: lay out a longer one
                continue
        chunks.append(document.copy(pages[:keep]).write_pdf())
        del document, pages
        gc.collect()
        if next_first is None:
            break
        first, step = next_first, rows_per_part

    writer = PdfWriter()
    metadata = None
    for chunk in chunks:
        reader = PdfReader(BytesIO(chunk))
        metadata = metadata or reader.metadata
        for page in reader.pages:
            writer.add_page(page)
    footers = PdfReader(BytesIO(HTML(string=scan.footers(len(writer.pages)), base_url=base_url).write_pdf()))
    if any(_size(page) != _size(footer) for page, footer in zip(writer.pages, footers.pages, strict=True)):
        return HTML(string=html, base_url=base_url).write_pdf()  # not the default page's size: as one piece
    for page, footer in zip(writer.pages, footers.pages, strict=True):
        page.merge_page(footer)
        page.compress_content_streams()
    writer.compress_identical_objects()
    if metadata:
        writer.add_metadata({key: value for key, value in metadata.items() if isinstance(value, str)})
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
