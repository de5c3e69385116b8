"""Size limits on input files, in one place (README, "安全与可靠").

A roster of a whole county is 100,000–200,000 rows × 71 columns (up to 14.2 million cells, ~600 MB
of sheet XML, ~70 MB zipped); the limits leave room above that and refuse what no real roster needs, before
anything is decompressed or parsed. Change them here only.
"""

from __future__ import annotations

MAX_FILE_BYTES = 512 * 1024**2  # the file on disk (any format)
MAX_UNCOMPRESSED_BYTES = 2 * 1024**3  # .xlsx/.xlsm/.ods: all parts of the zip, as declared, together
MAX_RATIO = 200  # .xlsx: uncompressed / compressed size of one part (real sheets: 5–40; zip bombs: 1000+)
RATIO_FLOOR_BYTES = 16 * 1024**2  # parts smaller than this are never refused for their ratio
MAX_ZIP_MEMBERS = 10_000  # parts in one .xlsx
MAX_CELLS = 20_000_000  # cells in all sheets, counted in the sheet XML before the reader parses it
MAX_XML_HEAD = 4096  # bytes at the start of each XML part searched for a DTD (a DTD must precede the root)
# A sheet's extent from A1 (its last row and column that hold a cell): python-calamine and the
# reader build a full grid of it, so one value at XFD1048576 in a 5 KB file would ask for 17 billion
# cells. Both are checked in the sheet XML (and on what calamine reports) before any grid is built.
MAX_ROWS = 300_000  # rows of one sheet (a county's roster: 100,000–200,000 and its header)
MAX_GRID = 25_000_000  # rows × columns of one sheet
