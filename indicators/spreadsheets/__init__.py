"""Every spreadsheet the app writes or reads: the writer (formulas neutralised), the cell codec
(both ways), the one preview → confirm, the values export and import, and their views.

Imports targets, recording (its services and guard, never its views), models, rules and plan.
"""
