"""The built add-in (setup_addin.py build): an .xlam package whose ribbon validates against
Microsoft's customUI14 schema, whose VBA (read back with olevba) holds the one callback, the
sheet-change hook and the UDF wrappers, and whose buttons and Python actions match one to one."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from oletools.olevba import VBA_Parser

import setup_addin
from tests.conftest import SHARED
from xueji_addin.excel import ribbon, udfs

REPO = Path(__file__).resolve().parents[1]
NS = {"ui": "http://schemas.microsoft.com/office/2009/07/customui"}
XSD = SHARED / "schemas" / "customui14.xsd"


@pytest.fixture(scope="module")
def addin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return setup_addin.build(tmp_path_factory.mktemp("dist") / setup_addin.ADDIN_NAME)


@pytest.fixture(scope="module")
def vba(addin: Path) -> dict[str, str]:
    parser = VBA_Parser(str(addin))
    try:
        assert parser.detect_vba_macros()
        return {Path(name).stem: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def _ribbon_xml(addin: Path) -> bytes:
    with zipfile.ZipFile(addin) as z:
        return z.read(setup_addin.RIBBON_PART)


def test_package_is_an_excel_addin_with_our_ribbon(addin: Path):
    with zipfile.ZipFile(addin) as z:
        assert z.testzip() is None
        names = set(z.namelist())
        types = ET.fromstring(z.read("[Content_Types].xml"))
        rels = ET.fromstring(z.read("_rels/.rels"))
        workbook_rels = z.read("xl/_rels/workbook.xml.rels").decode()
        workbook = z.read("xl/workbook.xml").decode()
        config = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    assert {"xl/workbook.xml", "xl/vbaProject.bin", setup_addin.RIBBON_PART, "[Content_Types].xml"} <= names
    assert "customUI/customUI.xml" not in names, "only the Office 2010 ribbon part, no stale 2007 one"
    overrides = {o.get("PartName"): o.get("ContentType") for o in types if o.tag.endswith("Override")}
    assert overrides["/xl/workbook.xml"] == "application/vnd.ms-excel.addin.macroEnabled.main+xml"
    assert overrides["/xl/vbaProject.bin"] == "application/vnd.ms-office.vbaProject"
    defaults = {d.get("Extension"): d.get("ContentType") for d in types if d.tag.endswith("Default")}
    assert defaults["xml"] == "application/xml"  # the ribbon part's content type
    ribbon_rels = [r for r in rels if r.get("Type") == setup_addin.RIBBON_REL]
    assert [r.get("Target") for r in ribbon_rels] == [setup_addin.RIBBON_PART]
    assert "relationships/vbaProject" in workbook_rels
    assert re.findall(r'<sheet name="([^"]+)"', workbook) == ["xueji.conf"]
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    cells = {c.get("r"): "".join(c.itertext()) for c in config.iter(f"{ns}c")}
    assert cells["A1"] == "UDF Modules" and cells["B1"] == "xueji_addin.excel.udfs"
    assert cells["A2"] == "Use UDF Server" and cells["B2"] == "1"
    assert _ribbon_xml(addin) == (REPO / "ribbon" / "customUI14.xml").read_bytes()


@pytest.mark.skipif(not XSD.exists(), reason="../shared/schemas is not beside the repository")
def test_ribbon_validates_against_the_customui14_schema(addin: Path):
    import xmlschema

    xmlschema.XMLSchema(str(XSD)).validate(ET.fromstring(_ribbon_xml(addin)))


def test_ribbon_layout_labels_and_single_callback():
    root = ET.parse(REPO / "ribbon" / "customUI14.xml").getroot()
    tabs = root.findall(".//ui:tab", NS)
    assert [t.get("label") for t in tabs] == ["学籍助手"]
    groups = [g.get("label") for g in root.findall(".//ui:group", NS)]
    assert groups[0] == "校验" and groups[-1] == "设置"
    assert set(groups) <= {"校验", "班级", "打印与导出", "设置"}
    buttons = root.findall(".//ui:button", NS)
    for b in buttons:
        assert b.get("onAction") == "XuejiOnAction"
        assert b.get("imageMso") and re.search(r"[\u4e00-\u9fff]", b.get("label") or "")
        assert re.search(r"[\u4e00-\u9fff]", b.get("screentip") or "") and re.search(r"[\u4e00-\u9fff]", b.get("supertip") or "")
    ids = [b.get("id") for b in buttons]
    assert len(ids) == len(set(ids))


def test_every_button_has_an_action_and_every_action_a_button():
    root = ET.parse(REPO / "ribbon" / "customUI14.xml").getroot()
    ids = {b.get("id") for b in root.findall(".//ui:button", NS)}
    assert ids == set(ribbon.BUTTONS)
    for action in ribbon.BUTTONS.values():
        assert action.__module__.startswith("xueji_addin.actions."), "buttons call actions, never glue"


def test_vba_holds_the_callback_the_hook_and_the_udfs(vba: dict[str, str]):
    dispatcher = vba["XuejiRibbon"]
    assert "Public Sub XuejiOnAction(control As IRibbonControl)" in dispatcher
    assert "xr.on_action('\" & control.ID & \"')" in dispatcher
    assert "RunPython command" in dispatcher
    assert "xl.sheet_change(" in dispatcher and "Public Sub XuejiSheetChanged" in dispatcher
    this = vba["ThisWorkbook"]
    assert "Private WithEvents XuejiApp As Application" in this
    assert "Private Sub XuejiApp_SheetChange(ByVal Sh As Object, ByVal Target As Range)" in this
    assert "Set XuejiApp = Application" in this and "XuejiSheetChanged Sh, Target" in this
    assert 'Public Const PROJECT_NAME As String = "xueji"' in vba["xlwings"]
    for f in udfs.UDFS:
        assert f"Function {f.__name__}(" in vba["xlwings_udfs"]
        assert f'XLPy.CallUDF("xueji_addin.excel.udfs", "{f.__name__}"' in vba["xlwings_udfs"]
    # Our callbacks are prefixed so that they never collide with another add-in's.
    ours = re.findall(r"^(?:Public |Private )?Sub (\w+)", dispatcher + this, re.M)
    assert all(name.startswith("Xueji") or name.startswith("Workbook_") for name in ours)


def test_vba_source_is_ascii_and_builds_the_chinese_text_at_run_time(vba: dict[str, str]):
    for name in ("XuejiRibbon", "ThisWorkbook", "xlwings_udfs"):
        assert all(ord(ch) < 128 for ch in vba[name]), name
        assert all(len(line) < 1024 for line in vba[name].splitlines())
    text = re.search(r"MsgBox (.+?), vbExclamation", vba["XuejiRibbon"]).group(1)
    built = "".join(chr(int(h, 16)) if h else s for s, h in re.findall(r'"([^"]*)"|ChrW\(&H([0-9A-F]{4})\)', text))
    assert built.startswith("学籍助手无法启动 Python")


def test_vba_ascii_keeps_ascii_code_and_escaped_quotes():
    src = 'x = "a""b" & "中文" \' 注释\r\ny = "plain"'
    out = setup_addin.vba_ascii(src)
    assert out == 'x = "a""b" & ChrW(&H4E2D) & ChrW(&H6587) \r\ny = "plain"\r\n'


def test_install_on_linux_says_excel_is_absent(tmp_path: Path):
    if sys.platform.startswith("win") or sys.platform == "darwin":
        pytest.skip("Excel may be present here")
    done = subprocess.run([sys.executable, str(REPO / "setup_addin.py"), "install"], capture_output=True, text=True)
    assert done.returncode == 2
    assert "没有 Microsoft Excel" in done.stderr and "Traceback" not in done.stderr
    done = subprocess.run([sys.executable, str(REPO / "setup_addin.py")], capture_output=True, text=True)
    assert done.returncode == 2 and "用法" in done.stderr


def test_install_config_is_what_the_xlwings_vba_reads():
    text = setup_addin.config_text(r"C:\Python311\pythonw.exe")
    lines = text.splitlines()
    assert lines[0] in ('"INTERPRETER_WIN","C:\\Python311\\pythonw.exe"', '"INTERPRETER_MAC","C:\\Python311\\pythonw.exe"')
    assert '"USE UDF SERVER","True"' in lines
    assert setup_addin.user_config_path().name == "xueji.conf"


def _imported_modules(path: Path) -> set[str]:
    import ast

    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_the_excel_extra_brings_every_tool_the_build_imports():
    """`pip install -e ".[excel]"` (the README's step) must be enough for `setup_addin.py build`:
    pyOpenVBA was once only in [test], and the build stopped with ModuleNotFoundError."""
    import importlib.metadata as md
    import tomllib

    extra = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["optional-dependencies"]["excel"]
    wanted = {re.split(r"[<>=;\[ ]", req, maxsplit=1)[0].lower() for req in extra}
    third_party = _imported_modules(REPO / "setup_addin.py") - set(sys.stdlib_module_names) - {"xueji_addin", "__future__"}
    assert {"pyopenvba", "xlwings"} <= third_party
    dists = md.packages_distributions()
    for module in third_party:
        assert {d.lower() for d in dists[module]} & wanted, f"{module} is imported by the build but not in [excel]"


def test_a_missing_build_tool_is_one_sentence():
    code = ("import sys, runpy; sys.modules['pyopenvba'] = None; sys.argv = ['setup_addin.py', 'build']; "
            f"runpy.run_path({str(REPO / 'setup_addin.py')!r}, run_name='__main__')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        '无法生成插件：没有安装 pyOpenVBA（生成插件要用），请在学籍助手文件夹中先运行：py -m pip install -e ".[excel]"']
