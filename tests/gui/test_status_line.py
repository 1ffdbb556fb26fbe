"""The one-line status text of the checklist (ui/status_line.py): its text, eliding, tooltip."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from inspector_app.ui.status_line import StatusLine


def test_a_status_line_shows_its_text_and_elides_a_long_one_with_the_whole_as_tooltip(
    qtbot: QtBot,
) -> None:
    line = StatusLine("saved")
    qtbot.addWidget(line)
    line.resize(400, line.sizeHint().height())
    line.show()
    line.setText("已保存第 1.2 项：符合")
    assert line.text() == "已保存第 1.2 项：符合"
    assert line.toolTip() == ""  # it fits
    assert line.accessibleName() == "已保存第 1.2 项：符合"
    long = "当前结论：不合格：" + "、".join(f"否决项 {n}.1 不符合" for n in range(1, 30))
    line.setText(long)
    assert line.toolTip() == long  # elided on screen, whole in the tooltip
    assert not line.grab().isNull()
    line.clear()
    assert line.text() == "" and line.toolTip() == ""


def test_a_new_text_never_changes_the_size_it_asks_for(qtbot: QtBot) -> None:
    line = StatusLine("progress", widest="已核查 300 / 300 项")
    qtbot.addWidget(line)
    hint = line.sizeHint()
    line.setText("已核查 3 / 300 项")
    assert line.sizeHint() == hint
    line.setText("一段长得多的文字" * 10)
    assert line.sizeHint() == hint
