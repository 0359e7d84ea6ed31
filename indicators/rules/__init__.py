"""The rules of an indicator as plain code: each kind (rules/kinds/, one file per kind), the
choices, numbers, text limits, formatting, periods, what a chart shows (as data), and the
bounded reading of uploaded files.

Pure: no database, no request. Imports no other package of the project (Django's helpers only).
"""
