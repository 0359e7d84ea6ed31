"""Recording values and strategy states: the write guard (locks, versions, history), the
services, evidence, forms, selectors, the entry grid, who may record, conflicts, and the views.

Imports models, charts, rules and plan. Its write guard serves targets, spreadsheets and
lifecycle; no other package imports its views.
"""
