from django.db import transaction
from django.utils import timezone

from indicators.models import StrategyProgress


def strategy_progress_record(*, strategy, period, state, note, user):
    """Record (or replace) a strategy's state for a period; the history keeps earlier ones."""
    if period.plan_id != strategy.orientation.plan_id:
        raise ValueError("The period belongs to another plan.")
    with transaction.atomic():
        progress = (
            StrategyProgress.objects.select_for_update()
            .filter(strategy=strategy, period=period)
            .first()
        ) or StrategyProgress(strategy=strategy, period=period)
        progress.state = state
        progress.note = note
        progress.recorded_by = user
        progress.recorded_at = timezone.now()
        progress.full_clean()
        progress.save()
    return progress
