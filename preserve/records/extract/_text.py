"""The text layer of extraction: normalise a document and cut it into blocks.

A block is a paragraph: lines between blank lines. The three input forms meet
here: scraped page text is already blocks; PDF markdown has ``**bold**`` markers,
titles hard-wrapped inside one bold paragraph (lines ending in two spaces) and
``**Label:**`` paragraphs; HTML is turned into the scraped-text shape by
:func:`html_to_text` (block elements become paragraphs, ``<br>`` a line break).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Block", "HTMLError", "html_to_text", "split_blocks"]

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2009\u200a\t\f\v"), " ")
_BOLD_RE = re.compile(r"\*\*|__")
_AUTOLINK_RE = re.compile(r"<(https?://[^\s<>]+)>")
_HEADING_RE = re.compile(r"^#{1,6}\s+")
_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph of a document.

    :param lines: its lines, stripped, markdown markers removed.
    :param bold: the whole paragraph was bold (a PDF title or ``**Label:**``).
    :param gap: blank lines before it; a scraped page leaves wider gaps between page
        regions (the body, the summary, the catalogue data) than between paragraphs.
    """

    lines: tuple[str, ...]
    bold: bool = False
    gap: int = 1

    @property
    def text(self) -> str:
        """The paragraph as one line."""
        return " ".join(self.lines)


def normalize(text: str) -> str:
    """NFC, Unix newlines, no invisible characters, plain spaces."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_INVISIBLE).translate(_SPACES)


def split_blocks(text: str) -> list[Block]:
    """Cut *text* into paragraphs, undoing markdown's bold and hard wraps."""
    blocks: list[Block] = []
    for gap, lines in _paragraphs(normalize(text)):
        joined = " ".join(lines)
        bold = len(joined) > 4 and joined.startswith("**") and joined.endswith("**")
        if bold:
            # A bold paragraph is one logical line that the PDF wrapped.
            lines = [joined]
        cleaned = tuple(c for c in (_clean(line) for line in lines) if c)
        if cleaned:
            blocks.append(Block(cleaned, bold=bold, gap=gap))
    return blocks


def _paragraphs(text: str) -> list[tuple[int, list[str]]]:
    """``(blank lines before, lines)`` for each run of non-blank lines."""
    out: list[tuple[int, list[str]]] = []
    gap, current = 0, []
    for line in text.split("\n"):
        if line.strip():
            current.append(line.strip())
            continue
        if current:
            out.append((gap, current))
            gap, current = 0, []
        gap += 1
    if current:
        out.append((gap, current))
    return out


def _clean(line: str) -> str:
    # The cheap tests first: most lines of a long document carry no markdown at all.
    if line.startswith("#"):
        line = _HEADING_RE.sub("", line)
    if "**" in line or "__" in line:
        line = _BOLD_RE.sub("", line)
    if "<http" in line:
        line = _AUTOLINK_RE.sub(r"\1", line)
    if "\\" in line:
        line = _ESCAPE_RE.sub(r"\1", line)
    return " ".join(line.split())


class HTMLError(ValueError):
    """The HTML could not be parsed at all."""


_SKIP = frozenset({"script", "style", "noscript", "template", "head", "svg", "math", "iframe"})
_BLOCK = frozenset(
    {
        "p", "div", "section", "article", "main", "header", "footer", "aside", "nav",
        "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
        "table", "tr", "td", "th", "blockquote", "pre", "address", "figure",
        "figcaption", "hr", "body", "form", "fieldset",
    }
)  # fmt: skip
# Leaving or entering a page region leaves a wider gap, as a browser's text does.
_REGIONS = frozenset({"div", "section", "article", "main", "header", "footer", "aside", "nav"})
_BREAK = "\x00"
_PARAGRAPH = "\x01"
_REGION = "\x02"


def html_to_text(html: str) -> str:
    """Text of an HTML page, shaped like a scraped page (one paragraph per block).

    Parsed by lxml's HTML parser with no network access; comments, processing
    instructions, scripts and styles are dropped. HTML has no external entities
    to resolve; character references are decoded by the parser.

    :raises HTMLError: when there is no document to parse.
    """
    # Imported here so that `import preserve` does not pay for lxml.
    import lxml.html
    from lxml import etree

    parser = lxml.html.HTMLParser(
        no_network=True, remove_comments=True, remove_pis=True, recover=True
    )
    try:
        root = lxml.html.document_fromstring(html, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise HTMLError(str(e) or "empty document") from e
    parts: list[str] = []
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _SKIP:
                walker.skip_subtree()
                continue
            parts.append(_boundary(tag))
            parts.append(el.text or "")
        else:
            parts.append(_boundary(tag) if tag != "br" else "")
            parts.append(el.tail or "")
    flat = " ".join("".join(parts).split())
    flat = flat.replace(f" {_BREAK}", _BREAK).replace(f"{_BREAK} ", _BREAK)
    out: list[str] = []
    wide = False
    for piece in re.split(f"([{_PARAGRAPH}{_REGION}])", flat):
        if piece == _REGION:
            wide = True
        elif piece != _PARAGRAPH and piece.strip():
            out.append(
                ("\n\n\n\n" if wide and out else "\n\n") + piece.strip().replace(_BREAK, "\n")
            )
            wide = False
    return "".join(out).lstrip("\n") + "\n"


def _boundary(tag: str) -> str:
    if tag in _REGIONS:
        return _REGION
    if tag in _BLOCK:
        return _PARAGRAPH
    return _BREAK if tag == "br" else ""
