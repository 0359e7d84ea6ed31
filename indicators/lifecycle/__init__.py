"""Preparing the next plan: copy a plan (copy), its structure as a workbook (workbook) and
its import into a new draft plan (workbook_cells, workbook_import), a plan's default periods
(periods), and the plan admin's tools for them (admin, registered from indicators/admin.py).

May import rules, models, recording, targets and spreadsheets.
"""
