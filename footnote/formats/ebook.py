"""EPUB books: the chapters a reading system shows, in reading order, each read as HTML is."""

from __future__ import annotations

import posixpath
import warnings
from urllib.parse import unquote

from footnote.formats.base import Extracted, Package, Reader, joined_lines, xml
from footnote.formats.markup import HtmlReader, html_lines, without_furniture

CONTAINER = "META-INF/container.xml"
# A chapter has no site chrome: its header, footer and asides (footnotes) are the book's
NOISE = ("script", "style", "noscript", "nav")
NS = {
    "container": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
}


class EpubReader(Reader):
    """An EPUB (2 or 3) book: the documents of its spine, the order a reader pages through,
    each read as an HTML page (headings name sections, tables a row per line). The
    navigation document, a table of contents of links, and documents the book marks as out
    of the reading order (``linear="no"``) are left out; the book's title opens the text."""

    suffixes = (".epub",)
    format = "epub"

    def read(self, data: bytes) -> Extracted:
        from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

        package = Package(data, "EPUB")
        root = xml(package.read(CONTAINER), "EPUB")
        opf_path = root.xpath("string(//container:rootfile/@full-path)", namespaces=NS)
        opf = xml(package.read(opf_path), "EPUB")
        folder = posixpath.dirname(opf_path)
        items = {
            item.get("id"): item
            for item in opf.iterfind("opf:manifest/opf:item", NS)
            if "nav" not in (item.get("properties") or "").split()
        }
        lines: list[tuple[str, int]] = []
        for ref in opf.iterfind("opf:spine/opf:itemref", NS):
            item = items.get(ref.get("idref"))
            if item is None or ref.get("linear") == "no":
                continue
            href = posixpath.normpath(posixpath.join(folder, unquote(item.get("href", ""))))
            with warnings.catch_warnings():  # XHTML, read as HTML on purpose: laid out alike
                warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
                soup = BeautifulSoup(package.read(href), "html.parser")
            for tag in [*soup(NOISE), *soup.select(HtmlReader.PERMALINKS)]:
                tag.decompose()
            without_furniture(soup)
            lines.extend(html_lines(soup.body or soup))
        title = " ".join(opf.xpath("string(opf:metadata/dc:title)", namespaces=NS).split())
        titled = bool(lines) and lines[0][0].startswith(title)
        return joined_lines(lines, "" if titled else title)
