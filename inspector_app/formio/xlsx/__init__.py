"""Forms as spreadsheets (xlsx), for clerks who author checklists in Excel or WPS.

One module a job:

- `layout`: the documented layout (forms/README.md): sheet names, column headers, cell words.
- `safe_open`: an untrusted file is checked before openpyxl sees it (size, zip and XML bombs,
  defusedxml) and its rows are read within bounds, refusing formula and merged cells.
- `cells`: typed access to a row's cells by header, with problems placed at their cell.
- `reader`: `import_xlsx`, spreadsheet to form, each problem placed at its sheet and row.
- `writer`: `export_xlsx`, form to spreadsheet; `import_xlsx` reads it back equal.

The app imports from those modules; this package re-exports the two entry points.
"""

from inspector_app.formio.xlsx.reader import import_xlsx
from inspector_app.formio.xlsx.writer import export_xlsx

__all__ = ["export_xlsx", "import_xlsx"]
