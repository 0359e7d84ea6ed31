"""Writes of the plan app (keyword-only, validated, one transaction)."""

from django.db import transaction

from plan.models import StrategicPlan


@transaction.atomic
def plan_set_closed(*, plan, closed):
    """Close a finished plan (read-only: no value can be recorded into its periods) or reopen it.

    Locks the plan's row first, as every write into its periods does: a value being written
    commits before the plan closes, or waits and then sees it closed.
    """
    StrategicPlan.objects.select_for_update().filter(pk=plan.pk).first()
    plan.is_closed = closed
    plan.full_clean()
    plan.save(update_fields=["is_closed"])
    return plan
