import signal

import pytest
from django.core.management import call_command


@pytest.fixture
def task_queue(settings):
    """The production queue: tasks wait in the database until `run_worker()` runs them with
    the real `db_worker` command (--batch: every task ready, then it exits).

    The worker closes and reopens database connections: tests using it are transactional
    (`django_db(transaction=True)`).
    """
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return run_worker


def run_worker():
    handlers = {name: signal.getsignal(name) for name in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
    finally:
        for name, handler in handlers.items():
            signal.signal(name, handler)
