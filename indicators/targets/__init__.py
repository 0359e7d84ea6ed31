"""Targets: the kind's target rule, the targets grid (its cells, pasted blocks) saved in one
go, and its page.

Imports recording's write guard, models, rules and plan.
"""
