"""The tasks of prepared exports (Django's task framework; the worker runs them)."""

from django_tasks import task

from indicators.exports import building


@task(priority=-10)
def export_build(export_id: int) -> str:
    """Build one prepared export, then expire the old ones (no separate schedule needed)."""
    try:
        return building.export_build(export_id=export_id)
    finally:
        building.exports_expire()


@task(priority=-20)
def exports_expire() -> int:
    return building.exports_expire()
