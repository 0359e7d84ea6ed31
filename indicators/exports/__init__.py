"""Prepared exports: files too large to build inside a request, built by the task worker.

Owns the service (ask, build, expire), the task that builds, the reads of an export's state and
the pages where the person who asked follows the progress and downloads the file. Each kind's
builder lives with its data (spreadsheets, lifecycle, board) and is named here by dotted path
(registry.py), so this package imports only models and rules: it sits just above models.
Files go through Django's storage API only (the export's FileField), never the local disk.
"""
