"""What the board reads: the dashboard, drill-downs, report, « depuis la dernière rencontre »,
meetings and their frozen packs (a Django app of its own, label `board`).

Reads: data.py (the plan in a fixed number of queries) → status.py, strategies.py (the
rules) → viewmodels.py, history.py, summary.py, stories.py, since.py (pure views of that
data) → views.py, meeting_views.py. Writes: services.py (meetings and packs).
May import every other package of `indicators` and `plan`; only tiess.urls imports it.
"""
