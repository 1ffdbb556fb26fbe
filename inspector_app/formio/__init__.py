"""Checklist forms in files: JSON form files, spreadsheets (xlsx), validation, shipped forms.

Sits between `core` (the form model, pure) and `store` (installed forms): it reads and writes
files, and nothing here touches the workspace database.
"""
