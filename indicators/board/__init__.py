"""What the board reads (an app labelled "board"): the status rule, the data (its only database
reads), view models, history, summary, stories, since the last meeting, meetings and packs.

Imports any package of indicators and plan; only tiess.urls imports it.
"""
