"""Zip parts deflated and inflated by ISA-L (workbook/deflate.py): the same format every reader
opens, zipfile's checks kept (CRC, declared size), and ISA-L really in use where it is installed."""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest
from hypothesis import given, settings, strategies as st

from xueji_addin.workbook import deflate
from xueji_addin.workbook.zip_parts import stored_member

DATE = (2026, 12, 7, 12, 0, 0)


def _zip_with(data: bytes, chunks: int = 3) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        with deflate.open_for_writing(zf, "xl/worksheets/sheet1.xml", DATE, zip64=False) as fh:
            step = max(1, len(data) // chunks)
            for i in range(0, len(data), step):
                fh.write(data[i:i + step])
        deflate.write_part(zf, zipfile.ZipInfo("docProps/app.xml", DATE), b"<Properties/>")
    return buf.getvalue()


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=200_000) | st.text(alphabet="<c r=\"A1\">学生 0123</c>", max_size=20_000).map(str.encode))
def test_parts_written_by_isal_read_back_by_zlib_and_by_isal(data: bytes) -> None:
    raw = _zip_with(data)
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        assert z.testzip() is None  # zipfile's own zlib inflates it, CRC and size agree
        assert z.read("xl/worksheets/sheet1.xml") == data
        assert z.getinfo("xl/worksheets/sheet1.xml").compress_type == zipfile.ZIP_DEFLATED
        with deflate.open_part(z, "xl/worksheets/sheet1.xml") as fh:
            got = b"".join(iter(lambda: fh.read(7_919), b""))
        assert got == data
        assert z.read("docProps/app.xml") == b"<Properties/>"


def _corrupt_crc(raw: bytes, name: str) -> bytes:
    """The zip with the CRC of ``name`` changed in its local header and its central directory entry."""
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        info = z.getinfo(name)
    crc = info.CRC.to_bytes(4, "little")
    wrong = (info.CRC ^ 0xFFFF).to_bytes(4, "little")
    assert raw.count(crc) == 2
    return raw.replace(crc, wrong)


def test_a_wrong_crc_is_still_caught_when_isal_inflates() -> None:
    data = ("<row>" + "学" * 5000 + "</row>").encode()
    bad = _corrupt_crc(_zip_with(data), "xl/worksheets/sheet1.xml")
    with zipfile.ZipFile(io.BytesIO(bad)) as z, pytest.raises(zipfile.BadZipFile):
        with deflate.open_part(z, "xl/worksheets/sheet1.xml") as fh:
            while fh.read(1000):
                pass


def test_a_part_never_yields_more_than_its_declared_size() -> None:
    data = b"<c/>" * 50_000
    raw = bytearray(_zip_with(data))
    with zipfile.ZipFile(io.BytesIO(bytes(raw))) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    # declare 1,000 bytes in the central directory: zipfile's reader stops there and then finds the CRC wrong
    size = info.file_size.to_bytes(4, "little")
    at = bytes(raw).rfind(size)
    raw[at:at + 4] = (1000).to_bytes(4, "little")
    with zipfile.ZipFile(io.BytesIO(bytes(raw))) as z:
        with pytest.raises(zipfile.BadZipFile), deflate.open_part(z, "xl/worksheets/sheet1.xml") as fh:
            assert len(fh.read()) <= 1000


@pytest.mark.skipif(not deflate.fast(), reason="python-isal is not installed here")
def test_isal_is_the_compressor_in_use() -> None:
    """ISA-L's level 1 output differs from zlib's: a zipfile change that dropped the swap shows here."""
    data = ("".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>学生{r % 97}</t></is></c></row>' for r in range(3000))).encode()
    with zipfile.ZipFile(io.BytesIO(_zip_with(data, chunks=1))) as z:
        stored = stored_member(z, z.getinfo("xl/worksheets/sheet1.xml")).stored
    c = zlib.compressobj(1, zlib.DEFLATED, -15)
    assert stored != c.compress(data) + c.flush()
    assert zlib.decompress(stored, -15) == data


def test_without_isal_the_parts_are_deflated_at_zlibs_fastest_level(monkeypatch):
    """The zlib fallback compresses at LEVEL (1), not at zlib's default 6 that a bare ZipInfo gets."""
    monkeypatch.setattr(deflate, "_isal", None)
    data = ("".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>学生{r % 97}</t></is></c></row>' for r in range(3000))).encode()
    with zipfile.ZipFile(io.BytesIO(_zip_with(data, chunks=1))) as z:
        stored = stored_member(z, z.getinfo("xl/worksheets/sheet1.xml")).stored
    one, six = zlib.compressobj(1, zlib.DEFLATED, -15), zlib.compressobj(6, zlib.DEFLATED, -15)
    assert stored == one.compress(data) + one.flush() != six.compress(data) + six.flush()


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=5000), st.integers(min_value=0, max_value=2**32 - 1))
def test_zipfiles_crc32_is_zlibs_crc32(data: bytes, start: int) -> None:
    """zipfile's checksum, ISA-L's where it is installed, is the very CRC-32 of zlib (and of the zip format)."""
    assert zipfile.crc32(data) == zlib.crc32(data)
    assert zipfile.crc32(data, start) == zlib.crc32(data, start)
