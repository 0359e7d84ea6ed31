"""The rules of an indicator as plain code: each kind (rules/kinds/, one file per kind), the
choices, numbers, text limits, formatting, periods and what a chart shows (as data).

Pure: no database, no request. Imports no other package of the project (Django's helpers only).
"""
