"""A plan's life: copy a plan (copy), its structure as a workbook (workbook) and its import
into a new draft plan (workbook_cells, workbook_import), a plan's default periods (periods),
the demonstration plan (demo, demo_values), and the plan admin's tools (admin, registered
from indicators/admin.py).

May import rules, models, recording, targets and spreadsheets; never notifications or board.
"""
