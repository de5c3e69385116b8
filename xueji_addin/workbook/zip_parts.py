"""Zip members copied as they are stored: a part that does not change is not compressed again.

zipfile has no call for this; ``copy_member`` takes the steps its own writer takes (the local
header at the current offset, the data, an entry for the central directory that ``close`` writes).
Compressing the template's helper sheets again cost a tenth of each class file.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass

from xueji_addin.workbook.deflate import write_part

ZIP64_CELLS = 10_000_000  # a sheet of more cells may pass the 2 GB a plain zip entry can hold


@dataclass(frozen=True)
class Member:
    """One part as it sits in a zip: its header facts and its compressed bytes."""

    info: zipfile.ZipInfo
    stored: bytes


def stored_member(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> Member:
    """The part ``info`` of ``z`` without decompressing it (the bytes after its local header)."""
    fp = z.fp
    assert fp is not None
    fp.seek(info.header_offset)
    header = fp.read(30)
    name_len = int.from_bytes(header[26:28], "little")
    extra_len = int.from_bytes(header[28:30], "little")
    fp.seek(info.header_offset + 30 + name_len + extra_len)
    return Member(info, fp.read(info.compress_size))


def copy_member(zf: zipfile.ZipFile, m: Member) -> None:
    """Write ``m`` into ``zf`` (open for writing) as it is stored."""
    info = zipfile.ZipInfo(m.info.filename, m.info.date_time)
    info.compress_type, info.CRC = m.info.compress_type, m.info.CRC
    info.compress_size, info.file_size = m.info.compress_size, m.info.file_size
    info.external_attr, info.create_system = m.info.external_attr, m.info.create_system
    fp = zf.fp
    assert fp is not None
    info.header_offset = fp.tell()
    fp.write(info.FileHeader(zip64=False))
    fp.write(m.stored)
    zf.start_dir = fp.tell()  # type: ignore[attr-defined]
    zf.filelist.append(info)
    zf.NameToInfo[info.filename] = info


def deflated_member(info: zipfile.ZipInfo, data: bytes) -> Member:
    """``data`` as the part ``info`` names, deflated once, to be copied into many files."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        write_part(z, info, data)
    with zipfile.ZipFile(buf) as z:
        return stored_member(z, z.getinfo(info.filename))


def rels_of(member: str) -> str:
    """The relationships part of the part ``member`` (xl/worksheets/_rels/sheet1.xml.rels)."""
    return posixpath.join(posixpath.dirname(member), "_rels", posixpath.basename(member) + ".rels")


def part_of(source: str, target: str) -> str:
    """The part a relationship of the part ``source`` points at: an absolute target, or one
    relative to the source's folder."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
