"""Inspector: the offline tool for on-site production-licence reviews."""

from __future__ import annotations

import os

# pyHanko (document signing) depends on lxml; with lxml installed openpyxl would parse
# spreadsheets with it instead of defusedxml, on which the spreadsheet import relies
# (formio/xlsx/safe_open.py). openpyxl reads this switch once, when it is first imported, so it
# is set here, before any module of the app imports openpyxl.
os.environ["OPENPYXL_LXML"] = "False"
