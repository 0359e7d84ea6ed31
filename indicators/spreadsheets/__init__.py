"""Spreadsheet files, both ways: the one writer of every CSV/XLSX the app produces (writer),
the one cell codec (cells), the values' export and import (values_export, values_import,
what an import changes: values_changes, views), and the one preview → confirm session
protocol of the imports (preview).

May import rules, models, recording (its services, not its views) and targets.
"""
