"""PDF through LibreOffice headless (soffice), when it is installed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from xueji_addin.workbook.atomic import PDF, WriteError, atomic_path, expect_output

NO_LIBREOFFICE = ("没有找到 LibreOffice（soffice），无法生成 PDF。表格文件已保存，可以用 Excel 或 WPS 打开后直接打印；"
                  "如需 PDF，请先安装 LibreOffice（https://zh-cn.libreoffice.org）再运行本命令。")


# LibreOffice measures Excel's column widths in the default font (Calibri) and prints 宋体 text with
# whatever fontconfig offers. Without these the widths come out a third wider than in Excel (so every
# page prints shrunk) and the forms print in a sans font. Fonts that are not installed are skipped.
_FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <match target="pattern">
    <test name="family" qual="any"><string>Calibri</string></test>
    <edit name="family" mode="prepend" binding="strong"><string>Carlito</string><string>Noto Sans Mono CJK SC</string></edit>
  </match>
  <match target="pattern">
    <test name="family" qual="any"><string>宋体</string></test>
    <edit name="family" mode="prepend" binding="strong"><string>SimSun</string><string>Noto Serif CJK SC</string></edit>
  </match>
</fontconfig>
"""


MAC_SOFFICE = Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")


class PdfError(WriteError):
    """A PDF that cannot be made; ``str(e)`` is a sentence for the user."""


def soffice() -> str | None:
    """The LibreOffice command, or None when it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return str(MAC_SOFFICE) if MAC_SOFFICE.exists() else None


def run_soffice(cmd: list[str], *, timeout: float, env: dict[str, str]) -> None:
    """Run LibreOffice in a process group of its own, and end the whole group however the run ends
    (a timeout, Ctrl+C, SIGTERM): soffice starts soffice.bin, which killing soffice alone leaves
    running, holding the temporary copy of the data open."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                            start_new_session=os.name == "posix")
    try:
        proc.wait(timeout=timeout)
    finally:
        if proc.poll() is None or os.name == "posix":
            _end_group(proc)


def _end_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)  # (the group of a finished soffice may hold soffice.bin)
        else:
            proc.kill()
    except OSError:
        pass
    proc.wait()


def to_pdf(xlsx: str | Path, pdf: str | Path, *, timeout: float = 300) -> Path:
    """Render every sheet of ``xlsx`` (with its print setup) into ``pdf``."""
    expect_output(pdf, PDF)  # before LibreOffice's work: a PDF never goes over an input, and is named .pdf
    exe = soffice()
    if exe is None:
        raise PdfError(NO_LIBREOFFICE)
    src = Path(xlsx)
    with tempfile.TemporaryDirectory(prefix="xueji-pdf-") as work:
        # A private profile: parallel runs and a user's open LibreOffice do not lock each other out.
        profile = Path(work, "profile").as_uri()
        # LibreOffice names the PDF after the input; an ASCII copy avoids locale trouble with the name.
        tmp_src = Path(work, "sheets" + src.suffix)
        shutil.copyfile(src, tmp_src)
        cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
               "--outdir", work, str(tmp_src)]
        fonts = Path(work, "fonts.conf")
        fonts.write_text(_FONTS_CONF, "utf-8")
        env = {**os.environ, "HOME": work}
        if Path("/etc/fonts/fonts.conf").exists():  # Linux and the BSDs; macOS and Windows do not use fontconfig
            env["FONTCONFIG_FILE"] = str(fonts)
        try:
            run_soffice(cmd, timeout=timeout, env=env)
        except subprocess.TimeoutExpired:
            raise PdfError(f"LibreOffice 在 {int(timeout)} 秒内没有完成 PDF 转换，请稍后重试或用 Excel 打开表格文件打印。") from None
        except OSError as e:
            raise PdfError(f"无法启动 LibreOffice（{e.strerror}），请检查安装。") from None
        made = Path(work, "sheets.pdf")
        if not made.exists() or made.stat().st_size == 0:
            raise PdfError("LibreOffice 没有生成 PDF，请用 LibreOffice 或 Excel 打开表格文件手动导出。")
        with atomic_path(pdf, protect=(src,), kind=PDF) as tmp:
            shutil.copyfile(made, tmp)
    return Path(pdf)
