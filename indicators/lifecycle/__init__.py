"""A plan's life: its periods and their lock, the copy into the next plan, the plan workbook
(export, import) and its admin pages (registered from apps.ready), the demonstration plan.

Imports spreadsheets and the packages below it, and plan; not notifications.
"""
