"""Writes of the plan app (keyword-only, validated, one transaction)."""

from django.db import transaction


@transaction.atomic
def plan_set_closed(*, plan, closed):
    """Close a finished plan (read-only: no value can be recorded into its periods) or reopen it."""
    plan.is_closed = closed
    plan.full_clean()
    plan.save(update_fields=["is_closed"])
    return plan
