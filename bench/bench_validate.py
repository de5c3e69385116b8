"""Benchmark: a synthetic school checked by us, by frictionless and by pandera, against the raw read.

    /work/venv/bin/python bench/bench_validate.py [--students 10000] [--runs 5] [--keep school.xlsx]

Builds a school of realistic students (``xueji_addin.synth.school_roster``), puts varied realistic
mistakes into a few per cent of them, writes a real .xlsx in the template's layout, then times in
the same run (the least of ``--runs``, the figures taken in turns; the machine is shared and noisy):

- the raw python-calamine read of the file (open, read every sheet's values);
- ``read_roster`` (the raw read plus header search and building the Roster) and ``check`` apart;
  check twice over: its first run on the file (in a new interpreter that has checked the sample
  class, so nothing of this school is cached; the goal's figure) and again on the same Roster;
- ``xueji validate FILE --json OUT`` end to end, in-process through ``xueji_addin.cli.app.run``
  (as the add-in's warm interpreter runs it) and as a fresh ``python -m xueji_addin`` subprocess;
- frictionless 5 and pandera validating the same file with the rules they can express: required
  columns, code-table enums, patterns of the coded-text kinds, unique ID number;
- two floors the goals meet before any work of ours: one look at every cell (a set per column, in
  a fresh interpreter), and a fresh interpreter importing the libraries the design asks for.

It prints the figures, the ratios against the goals of issue 2 and the finding counts (ours by
rule code, next to the mistakes put in), so that it is visible that every rule ran.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import datetime as dt
import gc
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from python_calamine import CalamineWorkbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from xueji_addin import synth  # noqa: E402
from xueji_addin.rules.engine import check, summary  # noqa: E402
from xueji_addin.spec.columns import Kind, Required  # noqa: E402
from xueji_addin.spec.codes import code_table  # noqa: E402
from xueji_addin.spec.profiles import default_profile  # noqa: E402
from xueji_addin.spec.settings import Settings  # noqa: E402
from xueji_addin.workbook.reader import read_roster  # noqa: E402

PROFILE = default_profile()
CLASS_SIZE = 50

# --- the school and its mistakes ------------------------------------------------------------

Record = dict[str, object]
# (what a teacher got wrong, the rule code we expect, how to put it into a record)
Mistake = tuple[str, str, Callable[[Record, random.Random, list[Record]], None]]


def _bad_check_digit(rec: Record, rng: random.Random, recs: list[Record]) -> None:
    n = str(rec["id_number"])
    rec["id_number"] = n[:-1] + ("0" if n[-1] != "0" else "1")


def _other_birth(rec: Record, rng: random.Random, recs: list[Record]) -> None:
    b = str(rec["birth_date"])
    rec["birth_date"] = b[:6] + ("15" if b[6:] != "15" else "16")


def _swap_sex(rec: Record, rng: random.Random, recs: list[Record]) -> None:
    rec["gender"] = "女" if rec["gender"] == "男" else "男"


def _duplicate_id(rec: Record, rng: random.Random, recs: list[Record]) -> None:
    rec["id_number"] = rng.choice(recs)["id_number"]


def _duplicate_name_birth(rec: Record, rng: random.Random, recs: list[Record]) -> None:
    other = rng.choice(recs)
    # Same person typed twice: name, birth date and (so the ID still agrees) ID number and sex.
    for key in ("name", "birth_date", "gender"):
        rec[key] = other[key]
    rec["id_number"] = _id_like(str(other["id_number"]), rng)


def _id_like(number: str, rng: random.Random) -> str:
    """Another valid ID with the same place, birth date and sex."""
    from stdnum.cn import ric

    seq = (int(number[14:17]) + 2 * rng.randrange(1, 400)) % 1000
    body = number[:14] + f"{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def _inclusive_mismatch(rec: Record, rng: random.Random, recs: list[Record]) -> None:
    rec["inclusive_class"] = "视力残疾随班就读"  # 残疾类型 stays 无残疾


def _relation_other(rec: Record, rng: random.Random, recs: list[Record]) -> None:
    rec["m1_relation"] = "其他"  # 关系说明 stays empty


def _member_same_id(rec: Record, rng: random.Random, recs: list[Record]) -> None:
    rec["m2_id_number"] = rec["id_number"]


def _school_bus(rec: Record, rng: random.Random, recs: list[Record]) -> None:
    rec["commute_mode"] = "校车"  # 是否需要乘坐校车 stays 否


def _set(key: str, value: object) -> Callable[[Record, random.Random, list[Record]], None]:
    def apply(rec: Record, rng: random.Random, recs: list[Record]) -> None:
        rec[key] = value(rec) if callable(value) else value
    return apply


FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

MISTAKES: list[Mistake] = [
    ("身份证号被 Excel 存成数字", "XJ310", _set("id_number", lambda r: float(str(r["id_number"])[:17] + "0"))),
    ("身份证号抄错一位", "XJ303", _bad_check_digit),
    ("身份证号写成15位旧号", "XJ308", _set("id_number", lambda r: str(r["id_number"])[:6] + str(r["id_number"])[8:17])),
    ("出生日期与身份证号不一致", "XJ305", _other_birth),
    ("性别与身份证号不一致", "XJ306", _swap_sex),
    ("出生日期是 Excel 日期", "XJ401", _set("birth_date", lambda r: dt.datetime.strptime(str(r["birth_date"]), "%Y%m%d"))),
    ("出生日期写成 2017-3-5", "XJ401", _set("birth_date", lambda r: f"{str(r['birth_date'])[:4]}-{int(str(r['birth_date'])[4:6])}-{int(str(r['birth_date'])[6:])}")),
    ("入学年月写成 2024.9", "XJ405", _set("enroll_ym", lambda r: f"{str(r['enroll_ym'])[:4]}.9")),
    ("入学月份写成10月", "XJ409", _set("enroll_ym", lambda r: f"{str(r['enroll_ym'])[:4]}10")),
    ("民族写简称“汉”", "XJ203", _set("ethnicity", "汉")),
    ("民族填了代码 01", "XJ202", _set("ethnicity", "01")),
    ("政治面貌填“少先队员”", "XJ201", _set("political_status", "少先队员")),
    ("手机号少一位", "XJ501", _set("phone", lambda r: str(r["phone"])[:10])),
    ("手机号用全角数字", "XJ112", _set("m1_phone", lambda r: str(r["m1_phone"]).translate(FULL_WIDTH))),
    ("邮政编码存成数字", "XJ115", _set("postcode", 710061)),
    ("户口所在地只写6位", "XJ601", _set("hukou_region_code", lambda r: str(r["hukou_region_code"])[:6])),
    ("班号少一位", "XJ621", _set("class_no", lambda r: str(r["class_no"])[:7])),
    ("姓名中有空格", "XJ507", _set("name", lambda r: " ".join(str(r["name"])))),
    ("姓名后多了空格", "XJ110", _set("name", lambda r: f"{r['name']} ")),
    ("姓名中有零宽字符", "XJ111", _set("name", lambda r: f"{str(r['name'])[:1]}\u200b{str(r['name'])[1:]}")),
    ("现住址为空", "XJ101", _set("current_address", None)),
    ("电子信箱不完整", "XJ504", _set("email", "zhang@qq")),
    ("上下学距离写了单位", "XJ508", _set("commute_km", lambda r: f"{r['commute_km']}公里")),
    ("关系为其他却没有说明", "XJ103", _relation_other),
    ("视力残疾随班就读却是无残疾", "XJ701", _inclusive_mismatch),
    ("成员2证件号与学生相同", "XJ315", _member_same_id),
    ("上下学方式校车与是否乘校车不符", "XJ706", _school_bus),
    ("与另一行身份证号重复", "XJ901", _duplicate_id),
    ("与另一行姓名和出生日期相同", "XJ902", _duplicate_name_birth),
    ("混入别校的学校标识码", "XJ903", _set("school_code", "2161010002")),
]


def build_school(students: int, seed: int, wrong: float) -> tuple[list[Record], Counter[str]]:
    """``students`` realistic records; about ``wrong`` of them carry one mistake each, spread over MISTAKES."""
    classes = -(-students // CLASS_SIZE)
    recs: list[Record] = [dict(r) for r in synth.school_roster(seed, classes + 2, CLASS_SIZE)][:students]
    rng = random.Random(seed)
    clean = [dict(r) for r in recs]  # the others a mistake copies from, as they were
    victims = rng.sample(range(len(recs)), max(len(MISTAKES), round(len(recs) * wrong)))
    injected: Counter[str] = Counter()
    for n, i in enumerate(victims):
        what, code, apply = MISTAKES[n % len(MISTAKES)]
        apply(recs[i], rng, clean)
        injected[f"{code} {what}"] += 1
    return recs, injected


def write_xlsx(path: Path, records: list[Record], extra: tuple[str, ...] = ()) -> None:
    """A real .xlsx in the template's layout: Text format on code-like columns, Excel dates as dates;
    the columns ``extra`` (a school's own 备注 …) after the template's, from the records' same keys.

    openpyxl's write-only mode (the template's styling writer takes ~50 s for 10,000 rows)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(PROFILE.sheet_name)
    bold = Font(bold=True)

    def header(text: str) -> WriteOnlyCell:
        c = WriteOnlyCell(ws, value=text)
        c.font = bold
        return c

    ws.append([header(c.header) for c in PROFILE.columns] + [header(h) for h in extra])
    text_cols = [c.kind.is_text_format for c in PROFILE.columns]
    keys = [c.key for c in PROFILE.columns]
    for rec in records:
        row: list[object] = []
        for key, as_text in zip(keys, text_cols):
            v = rec.get(key)
            if v is None or v == "":
                row.append(None)
            elif as_text or isinstance(v, dt.datetime):
                c = WriteOnlyCell(ws, value=v)
                c.number_format = "yyyy-mm-dd" if isinstance(v, dt.datetime) else "@"
                row.append(c)
            else:
                row.append(v)
        ws.append(row + [rec.get(h) for h in extra])
    wb.save(path)


# --- timing ---------------------------------------------------------------------------------


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the subprocess runs)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def timed(fn: Callable[[], object]) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds, result) of one run.

    The CPU time is what the ratios use: other jobs on a shared machine stretch the wall clock
    of every figure differently, but hardly the CPU time each one needs."""
    gc.collect()
    c, t = _cpu(), time.perf_counter()
    result = fn()
    return time.perf_counter() - t, _cpu() - c, result


def rounds(tasks: dict[str, Callable[[], tuple[float, float, object]]], runs: int) -> dict[str, tuple[float, float, object]]:
    """Each task ``runs`` times, taken in turns (round 1 of every task, then round 2 …): a slow
    spell of the shared machine then stretches every figure of a ratio alike, where timing one
    figure's runs together let it fall on one side only. Each task returns (wall, CPU, result).
    The least of the runs is kept, as timeit advises: other work on the machine only ever adds to
    a run (here a fresh process's raw read took 0.84 s in one minute and 1.38 s in another), so
    the least is the closest to what the code itself costs. Only the last result is kept: results
    kept alive would be walked by the collector in the other tasks' runs, and stretch them."""
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in tasks}
    last: dict[str, object] = {}
    for _ in range(runs):
        for name, task in tasks.items():
            last.pop(name, None)
            w, c, last[name] = task()
            times[name].append((w, c))
    return {name: (min(w for w, _ in got), min(c for _, c in got), last[name])
            for name, got in times.items()}


def raw_read(path: Path) -> int:
    """What python-calamine alone costs: open the file, read every sheet's values."""
    wb = CalamineWorkbook.from_path(str(path))
    try:
        return sum(len(wb.get_sheet_by_name(n).to_python(skip_empty_area=False)) for n in wb.sheet_names)
    finally:
        wb.close()


def cli_in_process(path: Path, json_out: Path) -> int:
    from xueji_addin.cli import run

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return run(["validate", str(path), "--json", str(json_out)])


def cli_subprocess(path: Path, json_out: Path) -> int:
    cmd = [sys.executable, "-m", "xueji_addin", "validate", str(path), "--json", str(json_out)]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, check=False).returncode


# A check's first run on a file: in a new interpreter that has checked the bundled sample class
# first (code tables, patterns and the county index loaded, as in the add-in's warm interpreter),
# so the per-value caches and the strings' hashes are those of a first look at this school.
_FIRST_CHECK = """
import sys, time
from xueji_addin.rules.engine import check
from xueji_addin.spec.settings import Settings
from xueji_addin.workbook.reader import read_roster
check(read_roster(sys.argv[2]), Settings())
roster = read_roster(sys.argv[1])
t, w = time.process_time(), time.perf_counter()
check(roster, Settings())
print(time.process_time() - t, time.perf_counter() - w)
"""


def timed_in_fresh(snippet: str, *args: Path) -> tuple[float, float, object]:
    """(wall, CPU, None): what ``snippet`` timed of itself (it prints "CPU wall") in a fresh interpreter."""
    out = subprocess.run([sys.executable, "-c", snippet, *map(str, args)], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    cpu, wall = out.split()[-2:]
    return float(wall), float(cpu), None


def first_check(path: Path) -> tuple[float, float, object]:
    """The first check of ``path`` (see _FIRST_CHECK), in a fresh interpreter."""
    return timed_in_fresh(_FIRST_CHECK, path, ROOT / "workbook_template" / "示例班级_20240101.xlsx")


# What no check can go below: one look at every cell (a set of each column, the strings fresh from
# the reader, as a check's first run meets them).
_FIRST_LOOK = """
import sys, time
from xueji_addin.workbook.reader import read_roster
columns = list(read_roster(sys.argv[1]).cells.values())
t, w = time.process_time(), time.perf_counter()
for c in columns:
    try:
        set(c)
    except TypeError:
        pass
print(time.process_time() - t, time.perf_counter() - w)
"""


def first_look(path: Path) -> tuple[float, float, object]:
    """One look at every cell of ``path`` (see _FIRST_LOOK), in a fresh interpreter."""
    return timed_in_fresh(_FIRST_LOOK, path)


# The libraries the design asks `xueji validate` to stand on, imported in a fresh interpreter: what
# a new process pays before it has read a byte or run any code of ours.
_LIBRARIES = "import typer, rich.console, pydantic, python_calamine; from stdnum.cn import ric"


def libraries_subprocess() -> int:
    return subprocess.run([sys.executable, "-c", _LIBRARIES], capture_output=True, check=True).returncode


def raw_read_subprocess(path: Path) -> int:
    """The raw read in a fresh interpreter, for a like-for-like comparison with the subprocess run."""
    code = "import sys;from python_calamine import CalamineWorkbook as W;w=W.from_path(sys.argv[1])\n" \
           "for n in w.sheet_names: w.get_sheet_by_name(n).to_python(skip_empty_area=False)"
    return subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, check=True).returncode


# --- the peers: the subset of our rules each can express -------------------------------------

# The patterns of the kinds that have one (our checks go further: check digits, real dates, codes).
PATTERNS = {
    Kind.ID_NUMBER: r"\d{17}[\dX]",  # every synthetic student holds a 居民身份证
    Kind.DATE: r"\d{8}",
    Kind.YEAR_MONTH: r"\d{6}",
    Kind.REGION: r"\d{12}",
    Kind.SCHOOL_CODE: r"\d{10}",
    Kind.CLASS_NO: r"\d{6}|\d{8}",
    Kind.PHONE: r"1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?",
    Kind.POSTCODE: r"\d{6}",
    Kind.DIGITS: r"\d+",
    Kind.EMAIL: r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}",
}


def peer_rules() -> list[tuple[str, bool, list[str] | None, str | None, bool]]:
    """(header, required, enum names, pattern, unique) per column, from the profile."""
    out = []
    for c in PROFILE.columns:
        enum = list(code_table(c.code_table).names) if c.kind is Kind.CODE and c.code_table else None
        out.append((c.header, c.required is Required.YES, enum, PATTERNS.get(c.kind), c.key == "id_number"))
    return out


def frictionless_validate(path: Path) -> int:
    from frictionless import Resource, Schema, fields, formats

    schema = Schema(fields=[
        fields.StringField(name=h, constraints={k: v for k, v in (
            ("required", req or None), ("enum", enum), ("pattern", pattern), ("unique", unique or None)) if v})
        for h, req, enum, pattern, unique in peer_rules()
    ])
    # frictionless refuses absolute paths ("not safe"): name the file relative to its folder.
    resource = Resource(path.name, basepath=str(path.parent), schema=schema,
                        control=formats.ExcelControl(sheet=PROFILE.sheet_name))
    report = resource.validate(limit_errors=10**7)
    return len(report.flatten(["type"]))


def pandera_validate(path: Path) -> int:
    import pandas as pd
    import pandera.pandas as pa

    frame = pd.read_excel(path, sheet_name=PROFILE.sheet_name, dtype=str, engine="calamine")
    columns = {}
    for h, req, enum, pattern, unique in peer_rules():
        checks = []
        if enum:
            checks.append(pa.Check.isin(enum))
        if pattern:
            checks.append(pa.Check.str_matches(f"(?:{pattern})$"))  # str.match: anchored at the start
        columns[h] = pa.Column(str, checks=checks, nullable=not req, unique=unique, required=True)
    try:
        pa.DataFrameSchema(columns).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as e:
        return len(e.failure_cases)
    return 0


# --- the report ------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5, help="runs per figure (the least is printed)")
    ap.add_argument("--peer-runs", type=int, default=3, help="runs of frictionless and pandera (they are slow)")
    ap.add_argument("--wrong", type=float, default=0.03, help="share of students with a mistake")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--keep", type=Path, help="keep the generated workbook at this path (and its mistakes beside it)")
    ap.add_argument("--reuse", action="store_true", help="with --keep: use the kept workbook when it exists")
    ap.add_argument("--no-peers", action="store_true", help="skip frictionless and pandera")
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="xueji-bench-"))
    path = args.keep or tmp / "学校_学生基础信息.xlsx"
    json_out = tmp / "report.json"

    t = time.perf_counter()
    sidecar = path.with_suffix(".mistakes.json")
    if args.reuse and args.keep and path.exists() and sidecar.exists():
        injected = Counter(json.loads(sidecar.read_text("utf-8")))
        print(f"沿用 {path}（{sum(injected.values())} 处错误）")
    else:
        records, injected = build_school(args.students, args.seed, args.wrong)
        write_xlsx(path, records)
        if args.keep:
            sidecar.write_text(json.dumps(injected, ensure_ascii=False), "utf-8")
        print(f"生成 {len(records)} 名学生（{sum(injected.values())} 处错误），写入 {path}"
              f"（{path.stat().st_size / 1e6:.1f} MB，{time.perf_counter() - t:.1f} s）")
    print(f"每项取 {args.runs} 次中最少的一次，各项轮流测（frictionless / pandera 取 {args.peer_runs} 次）；Python {sys.version.split()[0]}, pid {os.getpid()}\n")

    # pip writes the package's byte code at install; a checkout run with PYTHONDONTWRITEBYTECODE
    # would compile every module in each fresh process and charge that to start-up.
    compileall.compile_dir(str(ROOT / "xueji_addin"), quiet=1)
    settings = Settings()
    wall: dict[str, float] = {}
    fig: dict[str, float] = {}  # CPU seconds

    def record(results: dict[str, tuple[float, float, object]]) -> dict[str, object]:
        for name, (w, c, _) in results.items():
            wall[name], fig[name] = w, c
        return {name: result for name, (_, _, result) in results.items()}

    roster = read_roster(path)  # the check's own figure needs a Roster from the start
    # The bench's own long-lived objects (that Roster) are kept out of the collector's walks: a full
    # collection in whichever task triggers one would walk them and stretch that figure alone.
    gc.freeze()
    got = record(rounds({
        "raw": lambda: timed(lambda: raw_read(path)),
        "read": lambda: timed(lambda: len(read_roster(path))),  # freed within the run, as raw's rows are
        "check": lambda: timed(lambda: check(roster, settings)),
        "cli": lambda: timed(lambda: cli_in_process(path, json_out)),
        "check1": lambda: first_check(path),
        "look1": lambda: first_look(path),
        "raw_sub": lambda: timed(lambda: raw_read_subprocess(path)),
        "cli_sub": lambda: timed(lambda: cli_subprocess(path, json_out)),
        "libs_sub": lambda: timed(libraries_subprocess),
    }, args.runs))
    n_rows, findings, code, sub_code = got["raw"], got["check"], got["cli"], got["cli_sub"]
    report = json.loads(json_out.read_text("utf-8"))
    reported = sum(len(t["findings"]) for i in report["inputs"] for t in i["tables"])
    if not args.no_peers:
        peers = record(rounds({
            "frictionless": lambda: timed(lambda: frictionless_validate(path)),
            "pandera": lambda: timed(lambda: pandera_validate(path)),
        }, args.peer_runs))
        n_fric, n_pandera = peers["frictionless"], peers["pandera"]

    ours = summary(findings)  # type: ignore[arg-type]
    rows = [
        ("raw", "python-calamine 原始读取（全部工作表）", f"{n_rows} 行"),
        ("read", "read_roster（读取 + 找表头 + 建 Roster）", f"比原始读取多 {fig['read'] - fig['raw']:+.3f} s CPU"),
        ("check1", "check（全部规则，对这个文件的第一次）", f"{len(findings)} 条：{ours['errors']} 错误 / {ours['warnings']} 提示"),  # type: ignore[arg-type]
        ("check", "check（同一 Roster 再查：缓存与哈希已有）", "（参考）"),
        ("cli", "xueji validate --json（进程内 cli.app.run）", f"退出码 {code}，JSON 报告 {reported} 条"),
        ("raw_sub", "python-calamine 原始读取（新进程）", "python -c …"),
        ("cli_sub", "xueji validate --json（新进程 python -m）", f"退出码 {sub_code}，含启动和导入"),
        ("libs_sub", "新进程只导入必需的库", "typer、rich、pydantic、calamine、stdnum"),
        ("look1", "每个单元格看一次（每列一个 set，第一次）", "任何检查的下限"),
    ]
    if not args.no_peers:
        rows += [
            ("frictionless", "frictionless 5 validate（必填/枚举/格式/唯一）", f"{n_fric} 条错误"),
            ("pandera", "pandera（read_excel calamine + 校验）", f"{n_pandera} 条失败"),
        ]
    print(f"{'测量项':<44}{'CPU 秒':>8}{'墙钟秒':>8}  说明")
    for key, name, note in rows:
        print(f"{name:<44}{fig[key]:>8.3f}{wall[key]:>8.3f}  {note}")

    def ratio(label: str, value: float, goal: str, ok: bool) -> None:
        print(f"  {label:<46}{value:>7.2f}   目标 {goal:<8} {'达到' if ok else '未达到'}")

    print("\n比值（按 CPU 时间；机器空闲时与墙钟时间相同）")
    ratio("check（第一次）/ 原始读取", fig["check1"] / fig["raw"], "< 25 %", fig["check1"] < 0.25 * fig["raw"])
    ratio("check（再查）/ 原始读取", fig["check"] / fig["raw"], "（参考）", True)
    ratio("read_roster / 原始读取", fig["read"] / fig["raw"], "（参考）", True)
    ratio("validate 进程内 / 原始读取", fig["cli"] / fig["raw"], "< 1.5×", fig["cli"] < 1.5 * fig["raw"])
    ratio("validate 新进程 / 原始读取（新进程）", fig["cli_sub"] / fig["raw_sub"], "< 1.5×", fig["cli_sub"] < 1.5 * fig["raw_sub"])
    print("\n下限（不做任何我们的工作也要花的时间，供判断目标）")
    ratio("每个单元格看一次 / 原始读取", fig["look1"] / fig["raw"], "（参考）", True)
    floor = (fig["libs_sub"] + fig["raw_sub"]) / fig["raw_sub"]
    ratio("（导入必需的库 + 原始读取）/ 原始读取（新进程）", floor, "（参考）", True)
    if not args.no_peers:
        # The peers run in this interpreter (imports done): compare with our in-process run.
        for peer in ("frictionless", "pandera"):
            ratio(f"validate 进程内 / {peer}（同为进程内）", fig["cli"] / fig[peer], "< 1", fig["cli"] < fig[peer])
        for peer in ("frictionless", "pandera"):
            ratio(f"validate 新进程 / {peer}（对方不含导入）", fig["cli_sub"] / fig[peer], "（参考）", True)

    print("\n放入的错误 → 我们的发现（按规则代码；一处错误可能引出几条发现，如重复的两行各报一条）")
    by_code: dict[str, int] = ours["by_code"]  # type: ignore[assignment]
    expected: dict[str, list[str]] = {}
    put_in: Counter[str] = Counter()
    for label, n in injected.items():
        code, what = label.split(" ", 1)
        expected.setdefault(code, []).append(what)
        put_in[code] += n
    for code in sorted(expected):
        print(f"  {code}  放入 {put_in[code]:>4}  发现 {by_code.get(code, 0):>5}  {'、'.join(expected[code])}")
    others = {c: n for c, n in by_code.items() if c not in expected}
    if others:
        print("  随之出现的其他发现：" + "，".join(f"{c} {n}" for c, n in sorted(others.items())))
    missed = [c for c in expected if not by_code.get(c)]
    print(f"  未发现：{', '.join(missed)}" if missed else f"  {len(expected)} 种放入的错误都被发现。")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
