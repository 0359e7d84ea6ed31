"""The queue itself: a request only enqueues; the real `db_worker` builds the file."""

import pytest
from django.urls import reverse

from indicators.models import PreparedExport, PreparedExportStatus
from tests import codes, factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_export_waits_in_the_queue_until_the_worker_builds_it(
    client, task_queue, plan_2018_2023, staff_user, media_root, settings
):
    factories.measurement(codes.indicator("2.1"), codes.period("2018-2019"), staff_user, value=5)
    settings.EXPORT_STREAM_MAX_ROWS = 0
    client.force_login(staff_user)

    client.post(reverse("indicators:measurement_export_csv"))
    export = PreparedExport.objects.get()
    assert export.status == PreparedExportStatus.WAITING
    page = client.get(export.get_absolute_url()).content.decode()
    assert "0 ligne sur 1" in page or "0 lignes sur 1" in page
    assert client.get(reverse("indicators:export_download", args=[export.pk])).status_code == 404

    task_queue()

    export.refresh_from_db()
    assert export.status == PreparedExportStatus.READY
    assert export.rows_done == 1
    download = client.get(reverse("indicators:export_download", args=[export.pk]))
    assert download.status_code == 200
    content = b"".join(download.streaming_content).decode("utf-8-sig")
    if download.file_to_stream is not None:  # not close(): it would close the database
        download.file_to_stream.close()
    assert "2.1" in content
