"""The checklist forms shipped with the app, as package data (see README.md in this folder).

pyproject.toml maps this folder to the package `inspector_app.shipped_forms`, so a wheel carries
the forms inside the app and an editable install reads them from here. Read them through
`inspector_app.formio.paths`, never by a path relative to the source tree.
"""
