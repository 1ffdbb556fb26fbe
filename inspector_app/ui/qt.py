"""The one door through which Qt enters the app: everything else imports Qt from here."""

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QThread,
    QTimer,
    QTranslator,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QApplication,
    QHeaderView,
    QLabel,
    QMainWindow,
    QTableView,
    QVBoxLayout,
    QWidget,
)

__all__ = [
    "QAbstractTableModel",
    "QApplication",
    "QBrush",
    "QColor",
    "QCoreApplication",
    "QEvent",
    "QHeaderView",
    "QLabel",
    "QLibraryInfo",
    "QLocale",
    "QMainWindow",
    "QModelIndex",
    "QObject",
    "QPersistentModelIndex",
    "QTableView",
    "QThread",
    "QTimer",
    "QTranslator",
    "QVBoxLayout",
    "QWidget",
    "Qt",
    "Signal",
    "Slot",
]
