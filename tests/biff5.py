"""A BIFF5 .xls (Excel 5.0/95, what old 学籍 and 教务 programs still write) built byte by byte: one
"Book" stream in an OLE2 compound file, cells as LABEL records in the file's code page (GBK: 936).
LibreOffice no longer saves BIFF5 and no Python library writes it, so the test builds its own."""

from __future__ import annotations

import struct
from pathlib import Path

_FREE, _END, _FAT, _NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _record(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _book(sheet: str, rows: list[list[str]], codepage: int, encoding: str) -> bytes:
    name = sheet.encode(encoding)
    head = _record(0x0809, struct.pack("<HHHH", 0x0500, 0x0005, 0x0DBB, 0x07CC)) + _record(0x0042, struct.pack("<H", codepage))
    bound_len = 4 + 7 + len(name)
    offset = len(head) + bound_len + 4  # the sheet's BOF follows the globals' EOF
    globals_ = head + _record(0x0085, struct.pack("<IHB", offset, 0, len(name)) + name) + _record(0x000A, b"")
    cols = max(len(r) for r in rows)
    body = _record(0x0809, struct.pack("<HHHH", 0x0500, 0x0010, 0x0DBB, 0x07CC))
    body += _record(0x0000, struct.pack("<HHHHH", 0, len(rows), 0, cols, 0))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value != "":
                text = value.encode(encoding)
                body += _record(0x0204, struct.pack("<HHHH", r, c, 15, len(text)) + text)
    return globals_ + body + _record(0x000A, b"")


def _entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
    raw = name.encode("utf-16-le") + b"\0\0" if name else b""
    return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1) + struct.pack("<III", _NONE, _NONE, child)
            + b"\0" * 16 + struct.pack("<I", 0) + b"\0" * 16 + struct.pack("<II", start, size) + b"\0" * 4)


def write_biff5(path: Path, sheet: str, rows: list[list[str]], *, codepage: int = 936, encoding: str = "gbk") -> Path:
    stream = _book(sheet, rows, codepage, encoding)
    stream += b"\0" * (max(4096, -(-len(stream) // 512) * 512) - len(stream))  # ≥ 4096: no mini stream
    n = len(stream) // 512
    assert n + 2 <= 128, "one FAT sector"
    fat = [_FAT, _END] + [3 + i if i < n - 1 else _END for i in range(n)]
    fat_sector = struct.pack(f"<{128}I", *(fat + [_FREE] * (128 - len(fat))))
    directory = _entry("Root Entry", 5, 1, _END, 0) + _entry("Book", 2, _NONE, 2, len(stream)) + _entry("", 0, _NONE, 0, 0) * 2
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _END, 0, _END, 0) + struct.pack("<I", 0) + struct.pack("<108I", *[_FREE] * 108))
    assert len(header) == 512
    path.write_bytes(header + fat_sector + directory + stream)
    return path
