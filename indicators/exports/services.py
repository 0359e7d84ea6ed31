"""Writes of prepared exports: a person asks for one (the worker builds it later)."""

from django.db import transaction

from indicators.exports import tasks
from indicators.exports.registry import kind_spec
from indicators.models import PreparedExport


def export_request(*, owner, kind: str, params: dict, rows_total: int = 0) -> PreparedExport:
    """Record the request and queue its build; the person then follows it on its page.

    The task row is written in the same transaction as the export's (database backend): the
    worker can never see one without the other.
    """
    kind_spec(kind)  # an unknown kind fails here, not in the worker
    export = PreparedExport(owner=owner, kind=kind, params=params, rows_total=rows_total)
    export.full_clean()
    with transaction.atomic():
        export.save()
        result = tasks.export_build.enqueue(export.pk)
        # The immediate backend (tests) has already built it: keep the worker's fields.
        PreparedExport.objects.filter(pk=export.pk).update(task_id=str(result.id))
    export.refresh_from_db()
    return export
