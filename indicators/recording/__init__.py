"""Recording values and strategy states: the write guard (guard), the checks and writes
(services, evidence), the reads of the recording pages (selectors, continuity), the forms,
their errors and conflicts (forms, errors, conflicts), who may record (permissions), the
indicator page and « À saisir » (views) and the entry grid (grid, grid_cells, grid_views).

May import rules, charts, models and plan; never targets, spreadsheets, lifecycle,
notifications or board, which build on it.
"""
