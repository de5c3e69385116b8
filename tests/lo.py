"""LibreOffice headless for tests: convert files with a private profile, skip when it is missing."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice")
needs_libreoffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def convert(files: list[Path], to: str, outdir: Path, *, timeout: int = 300) -> list[Path]:
    """Convert with LibreOffice (which recalculates formulas that have no cached value on load)."""
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir / f".lo-profile-{os.getpid()}"
    cmd = [SOFFICE or "soffice", f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless",
           "--convert-to", to, "--outdir", str(outdir), *map(str, files)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    ext = to.split(":")[0]
    out = [outdir / f"{f.stem}.{ext}" for f in files]
    missing = [p.name for p in out if not p.exists()]
    assert done.returncode == 0 and not missing, f"LibreOffice failed ({done.returncode}): {done.stderr[-500:]} {missing}"
    return out
