"""The clean import file for the national system: exactly the profile's sheet, headers and order,
values only (no fills, notes, helper sheets, validations or formulas), every value as text.

``.xls`` is produced from the ``.xlsx`` by LibreOffice headless when it is installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from openpyxl import Workbook

from xueji_addin.spec.profiles import Profile
from xueji_addin.workbook.atomic import WriteError, atomic_path
from xueji_addin.workbook.cells import set_text
from xueji_addin.workbook.pdf import run_soffice
from xueji_addin.workbook.template_parts import RosterParts, sheet_parts, write_parts

SUFFIXES = (".xlsx", ".xls")


_PARTS: dict[str, RosterParts] = {}


def _xlsx(path: Path, profile: Profile, rows: list[list[str]]) -> None:
    """The sheet and its header from openpyxl (once per profile), the rows streamed as inline text
    (a value like "=1+1" or "-3" stays the text it is): 2 s for 10,000 pupils where openpyxl's
    write-only cells took 7."""
    if profile.id not in _PARTS:
        wb = Workbook()
        ws = wb.active
        ws.title = profile.sheet_name
        for c, h in enumerate(profile.headers, start=1):
            set_text(ws.cell(1, c), h)
        _PARTS[profile.id] = sheet_parts(wb, ws, 2)
    write_parts(path, _PARTS[profile.id], rows)  # type: ignore[arg-type]


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _to_xls(src: Path, dest: Path) -> None:
    exe = soffice()
    if exe is None:
        raise WriteError("生成 .xls 需要 LibreOffice，但本机没有安装：请安装 LibreOffice 后重试，"
                         "或把 --out 改为 .xlsx，再用 Excel/WPS 打开后另存为 .xls。")
    with tempfile.TemporaryDirectory(prefix="xueji-xls-") as tmp:
        profile_dir = Path(tmp) / "profile"
        cmd = [exe, f"-env:UserInstallation={profile_dir.as_uri()}", "--headless",
               "--convert-to", "xls:MS Excel 97", "--outdir", tmp, str(src)]
        try:
            run_soffice(cmd, timeout=180, env={**os.environ, "HOME": tmp})
        except (OSError, subprocess.TimeoutExpired) as e:
            raise WriteError(f"LibreOffice 转换 .xls 失败（{type(e).__name__}），请改用 .xlsx。") from None
        made = Path(tmp) / (src.stem + ".xls")
        if not made.exists():
            raise WriteError("LibreOffice 没有生成 .xls 文件，请改用 .xlsx，或关闭正在运行的 LibreOffice 后重试。")
        shutil.copyfile(made, dest)


def write_import_file(path: str | Path, profile: Profile, rows: list[list[str]],
                      *, protect: tuple[str | Path, ...] = ()) -> Path:
    """One import file (.xlsx or .xls, by the suffix of ``path``), written atomically."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in SUFFIXES:
        raise WriteError(f"导入文件只能是 .xlsx 或 .xls，“{target.name}”的扩展名不对。")
    with atomic_path(target, protect=protect) as tmp:
        if suffix == ".xlsx":
            _xlsx(tmp, profile, rows)
        else:
            with tempfile.TemporaryDirectory(prefix="xueji-export-") as work:
                src = Path(work) / f"{profile.sheet_name}.xlsx"
                _xlsx(src, profile, rows)
                _to_xls(src, tmp)
    return target


def part_paths(path: str | Path, parts: int) -> list[Path]:
    """``out.xls`` → [out.xls] for one part, else [out_1.xls, out_2.xls, …]."""
    p = Path(path)
    if parts <= 1:
        return [p]
    return [p.with_name(f"{p.stem}_{k}{p.suffix}") for k in range(1, parts + 1)]
