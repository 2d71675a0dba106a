"""Crafted spreadsheet files, built in the test (they are tiny): the attacks of issue 17 and
the shapes a real export has. A minimal XLSX is five small XML parts in a zip."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterable

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_START = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">'.encode()


def cell(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def xlsx(sheet: Iterable[bytes]) -> bytes:
    """A workbook whose first sheet's XML is the concatenation of `sheet` (streamed in)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            for chunk in sheet:
                part.write(chunk)
    return buffer.getvalue()


def dimension_bomb(*, rows: bool = True) -> bytes:
    """About 1.6 KB that declares its sheet as A1:XFD1048576 (16,384 × 1,048,576 cells)."""
    body = b""
    if rows:
        body = (b'<row r="1">' + cell("A1", "Studentnummer") + cell("B1", "Voornaam") + cell("C1", "Achternaam")) + (
            b'</row><row r="2">' + cell("A2", "1001") + cell("B2", "Jan") + cell("C2", "Jansen") + b"</row>"
        )
    return xlsx([SHEET_START, b'<dimension ref="A1:XFD1048576"/><sheetData>', body, b"</sheetData></worksheet>"])


def far_row() -> bytes:
    """A header and one cell at Excel's last row: a million empty rows in between, on paper."""
    rows = (
        b'<row r="1">' + cell("A1", "Studentnummer") + cell("B1", "Achternaam") + b"</row>"
        b'<row r="1048576">' + cell("A1048576", "1001") + cell("B1048576", "Jansen") + b"</row>"
    )
    return xlsx([SHEET_START, b"<sheetData>", rows, b"</sheetData></worksheet>"])


def zip_bomb(unpacked_mb: int = 60) -> bytes:
    """Highly compressible sheet XML: ~200 KB that unpacks to `unpacked_mb` MB."""
    row = b'<row><c t="inlineStr"><is><t>aaaaaaaaaaaaaaaaaaaa</t></is></c></row>'
    block = row * 10_000
    blocks = unpacked_mb * 1024 * 1024 // len(block) + 1

    def sheet():
        yield SHEET_START + b"<sheetData>"
        for _ in range(blocks):
            yield block
        yield b"</sheetData></worksheet>"

    return xlsx(sheet())


def lying_zip_bomb() -> bytes:
    """A zip whose sheet declares 1 KB unpacked but inflates to 60 MB: the declared size is a
    lie, so the size check alone would let it through."""
    data = bytearray(zip_bomb(60))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml")
    lie = (1024).to_bytes(4, "little")
    # Local file header: uncompressed size at offset 22; central directory header: offset 24.
    data[info.header_offset + 22 : info.header_offset + 26] = lie
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(info.filename)] != info.filename.encode():
        central = data.index(b"PK\x01\x02", central + 4)
    data[central + 24 : central + 28] = lie
    return bytes(data)


def wide_row(cells: int = 2_000_000) -> bytes:
    """One row of two million cells (~60 KB zipped): more than Excel's 16,384 columns."""
    return xlsx([SHEET_START, b"<sheetData><row>", b"<c><v>1</v></c>" * cells, b"</row></sheetData></worksheet>"])


def csv_wide_header(columns: int = 1_000_000, rows: int = 20_000) -> bytes:
    """A 2 MB CSV whose header has a million columns, and 20,000 short rows."""
    return b"k," * (columns - 1) + b"k\n" + b"a,b\n" * rows


def png() -> bytes:
    """A real 1×1 PNG, repeated to the size of a screenshot: what a renamed image looks like."""
    pixel = zlib.decompress(zlib.compress(b"\x00\x00\x00\x00"))
    header = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    return (header + zlib.compress(pixel) + bytes(range(256))) * 40


def random_text(lines: int = 5_000) -> bytes:
    import random

    rnd = random.Random(1984)
    alphabet = "abcdefghijklmnopqrstuvwxyz ,.;'!?0123456789"
    return "\n".join("".join(rnd.choice(alphabet) for _ in range(rnd.randint(20, 80))) for _ in range(lines)).encode()
