Attribute VB_Name = "XuejiRibbon"
' Xueji (xueji_addin) ribbon dispatcher and sheet-change hook.
' All behaviour lives in Python: every button calls XuejiOnAction with its control.ID, which is
' passed to xueji_addin.excel.ribbon.on_action; edits reach xueji_addin.excel.live.sheet_change.
' Names carry the Xueji prefix so that they never collide with another add-in's callbacks.
' (setup_addin.py build turns the Chinese text below into ChrW() calls: VBA source is not Unicode.)
Option Explicit

Public Sub XuejiOnAction(control As IRibbonControl)
    XuejiRun "import xueji_addin.excel.ribbon as xr; xr.on_action('" & control.ID & "')", True
End Sub

Public Sub XuejiSheetChanged(ByVal Sh As Object, ByVal Target As Range)
    ' Called by XuejiApp_SheetChange (ThisWorkbook) for every edit in every open workbook.
    If Sh.Parent Is ThisWorkbook Then Exit Sub
    If Left$(Sh.Name, 1) = "_" Then Exit Sub
    If Target.CountLarge > 100000 Then Exit Sub
    ' Only sheets whose first rows hold the template header reach Python.
    If Application.WorksheetFunction.CountIf(Sh.Range("A1:IV10"), "*姓名*") = 0 Then Exit Sub
    XuejiRun "import xueji_addin.excel.live as xl; xl.sheet_change(" & Sh.Index & ", '" & Target.Address(False, False) & "')", False
End Sub

Private Sub XuejiRun(ByVal command As String, ByVal loud As Boolean)
    Dim events As Boolean
    events = Application.EnableEvents
    Application.EnableEvents = False ' our own writes must not come back as SheetChange events
    On Error GoTo Failed
    RunPython command
    Application.EnableEvents = events
    Exit Sub
Failed:
    Application.EnableEvents = events
    If loud Then
        MsgBox "学籍助手无法启动 Python：" & Err.Description & vbCrLf & "请按使用说明重新运行安装（python setup_addin.py install）。", vbExclamation, "学籍助手"
    Else
        Application.StatusBar = "学籍助手：边填边查没有运行，请点“校验本表”。"
    End If
End Sub
