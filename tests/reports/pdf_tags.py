"""What a screen reader finds in a tagged PDF (the reports are PDF/UA): its tables, each with its
caption and header rows, and its figures with their alternative text, in reading order.

The text of a tag is the text its marked content (MCID) draws on the page, read with pypdf."""

import io
from collections import defaultdict
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import IndirectObject


@dataclass(frozen=True)
class Table:
    caption: str
    header_rows: list[list[str]]


@dataclass(frozen=True)
class Tags:
    tables: list[Table]
    figures: list[str]  # each figure's /Alt
    text: str  # all the tagged text, page by page, in the order it is drawn


def read_tags(content: bytes) -> Tags:
    reader = PdfReader(io.BytesIO(content))
    texts = _marked_texts(reader)
    tables, figures = [], []

    def text(node, page=None) -> str:
        node = _resolve(node)
        if isinstance(node, int):
            return texts[page].get(node, "")
        if isinstance(node, list):
            return "".join(text(kid, page) for kid in node)
        if not isinstance(node, dict):
            return ""
        if "/Pg" in node:
            page = node.raw_get("/Pg").idnum
        if node.get("/Type") == "/MCR":
            return texts[page].get(node["/MCID"], "")
        return text(node.get("/K", []), page)

    def kids(node) -> list:
        found = _resolve(node.get("/K", []))
        return [_resolve(kid) for kid in (found if isinstance(found, list) else [found])]

    def tagged(node, name) -> list:
        return [kid for kid in kids(node) if isinstance(kid, dict) and kid.get("/S") == name]

    def walk(node) -> None:
        if not isinstance(node, dict):
            return
        if node.get("/S") == "/Table":
            captions = tagged(node, "/Caption")
            rows = [row for head in tagged(node, "/THead") for row in tagged(head, "/TR")]
            table = Table(
                caption=squeeze(text(captions[0])) if captions else "",
                header_rows=[[squeeze(text(cell)) for cell in kids(row)] for row in rows],
            )
            tables.append(table)
        elif node.get("/S") == "/Figure":
            figures.append(str(node.get("/Alt", "")))
        for kid in kids(node):
            walk(kid)

    walk(_resolve(reader.trailer["/Root"]["/StructTreeRoot"]))
    everything = " ".join(" ".join(page.values()) for page in texts.values())
    return Tags(tables, figures, squeeze(everything))


def squeeze(value: str) -> str:
    return " ".join(value.split())


def _resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def _marked_texts(reader: PdfReader) -> dict[int, dict[int, str]]:
    """{page object number: {MCID: text}}: what each marked-content sequence draws."""
    texts: dict[int, dict[int, str]] = {}
    for page in reader.pages:
        open_ids: list[int | None] = []
        found: dict[int, list[str]] = defaultdict(list)

        def operator(op, args, _cm, _tm, open_ids=open_ids):
            if op == b"BDC":
                properties = _resolve(args[1]) if len(args) > 1 else None
                open_ids.append(properties.get("/MCID") if isinstance(properties, dict) else None)
            elif op == b"BMC":
                open_ids.append(None)
            elif op == b"EMC" and open_ids:
                open_ids.pop()

        def drawn(value, _cm, _tm, _font, _size, open_ids=open_ids, found=found):
            mcid = next((mcid for mcid in reversed(open_ids) if mcid is not None), None)
            if mcid is not None:
                found[mcid].append(value)

        page.extract_text(visitor_operand_before=operator, visitor_text=drawn)
        texts[page.indirect_reference.idnum] = {mcid: "".join(v) for mcid, v in found.items()}
    return texts
