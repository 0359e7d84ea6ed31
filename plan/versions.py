"""The plan's data version: one number on the plan row that every write path bumps.

The board caches its rendered pages keyed on `StrategicPlan.data_version` (see
indicators/board/cache.py). Each write that changes what a plan shows calls
`plan_data_changed(plan_ids=…)`; the bump happens once the transaction commits
(`transaction.on_commit`), as one `UPDATE … SET data_version = data_version + 1` for every
plan touched in that transaction. A reader that sees the new version therefore also sees
the new data; a worker's local cache stays right because the version lives in the database.

Bulk writes (`bulk_create`, `QuerySet.update`, raw SQL) send no signal: their callers call
`plan_data_changed` themselves. `ALL_PLANS` bumps every plan (loaddata, restore, shared
lists such as dimensions) by the current time in milliseconds rather than by one: a restore
or a fixture brings back an older version number, and that jump keeps the new number above
every number already used (and cached) before.

`data_version_bumped` is sent right after each bump (after the commit), with `plan_ids` (a
set, possibly holding ALL_PLANS) and `using`: the board warms its page cache on it.

`bumps_gathered()` makes a run of transactions (a grid page saves each row in its own) bump
once, after the last, instead of once per transaction: one UPDATE and one board warm.
"""

import time
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F
from django.dispatch import Signal

data_version_bumped = Signal()

ALL_PLANS = "all"

_PENDING = "_tiess_plan_versions_pending"
_GATHERED = "_tiess_plan_versions_gathered"


def _flush(using):
    connection = connections[using]
    pending = connection.__dict__.pop(_PENDING, set())
    if pending:
        _bump_or_gather(pending, using)


def _bump_or_gather(plan_ids, using):
    gathered = connections[using].__dict__.get(_GATHERED)
    if gathered is None:
        _bump(plan_ids, using)
    else:
        gathered.update(plan_ids)


def _bump(plan_ids, using):
    from plan.models import StrategicPlan

    plans = StrategicPlan.objects.using(using).order_by()
    if ALL_PLANS in plan_ids:
        plans.update(data_version=F("data_version") + int(time.time() * 1000))
    else:
        plans.filter(pk__in=plan_ids).update(data_version=F("data_version") + 1)
    data_version_bumped.send(sender=StrategicPlan, plan_ids=plan_ids, using=using)


def plan_data_changed(*, plan_ids, using=DEFAULT_DB_ALIAS):
    """Bump the data version of `plan_ids` (or ALL_PLANS) once the transaction commits.

    Within one transaction, every call is gathered into a single UPDATE run on commit; a
    rollback discards it (nothing changed). Outside a transaction the UPDATE runs at once.
    """
    plan_ids = {ALL_PLANS} if plan_ids == ALL_PLANS else set(plan_ids)
    plan_ids.discard(None)
    if not plan_ids:
        return
    connection = connections[using]
    if not connection.in_atomic_block:
        _bump_or_gather(plan_ids, using)
        return
    registered = any(
        getattr(callback, "tiess_plan_versions", False)
        for _sids, callback, _robust in connection.run_on_commit
    )
    if not registered:
        # A rolled-back transaction dropped its callback: start a fresh set.
        pending = connection.__dict__[_PENDING] = set()

        def flush():
            flush.tiess_plan_versions = False  # done: a later write registers a new one
            _flush(using)

        flush.tiess_plan_versions = True
        transaction.on_commit(flush, using=using)
    else:
        pending = connection.__dict__.setdefault(_PENDING, set())
    pending.update(plan_ids)


@contextmanager
def bumps_gathered(using=DEFAULT_DB_ALIAS):
    """Gather the bumps of the transactions committed inside into one, run on the way out
    (even when an error ends the run early: what committed is bumped)."""
    connection = connections[using]
    if _GATHERED in connection.__dict__:  # an outer run gathers them already
        yield
        return
    gathered = connection.__dict__[_GATHERED] = set()
    try:
        yield
    finally:
        del connection.__dict__[_GATHERED]
        if gathered:
            _bump(gathered, using)
