"""What the deployment tests share: a database, Redis, two app servers behind nginx.

`running_cluster` starts, on loopback, two `make serve-prod` (gunicorn) instances on two
ports, sharing one database (a SQLite file, or on PostgreSQL a database of its own next to
the suite's) and one cache (the default file cache, or Redis), behind Debian's nginx with the
repository's site file (tests/nginx_front.py). Each response says which server answered
(X-Upstream); nginx takes the servers in turn, so `Cluster.align` makes the next request go
to a chosen one.
"""

import contextlib
import dataclasses
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import environ
import pytest

from tests.nginx_front import Front, required_tool, running_nginx
from tests.security.prod_server import (
    ROOT,
    free_port,
    production_environment,
    serve_prod,
    stop_group,
)

PASSWORD = "phrase-de-passe-des-deux-serveurs"
SERVERS = 2

SETUP_SCRIPT = f"""
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from indicators.models import ReportingPeriod
from plan.models import StrategicPlan, Strategy
from plan.roles import BOARD_GROUP, STAFF_GROUP
from tests import codes, factories

call_command("migrate", verbosity=0)
call_command("load_plan", verbosity=0)
for name, group in (("marie", STAFF_GROUP), ("luc", STAFF_GROUP), ("andre", BOARD_GROUP)):
    user = get_user_model().objects.create_user(name, password={PASSWORD!r})
    user.groups.add(Group.objects.get(name=group))
user = get_user_model().objects.get(username="marie")
plan = StrategicPlan.objects.get(is_current=True)
strategies = Strategy.objects.filter(orientation__plan=plan).order_by(
    "orientation__number", "order"
)
period = ReportingPeriod.objects.of_plan(plan).order_by("start_date").first()
# One value, for the exports.
factories.measurement(codes.indicator("2.1"), period, user, value=5)
tools = codes.indicator("1.2")  # a count by category, which takes evidence files
print(json.dumps({{
    "strategies": [[s.pk, s.orientation_id] for s in strategies],
    "period": period.pk,
    "evidence": {{
        "indicator": tools.pk,
        "category": tools.dimension.categories.order_by("pk").first().pk,
        "period": codes.period("2019-2020").pk,
    }},
}}))
"""


def manage_shell(env, script):
    """Run `script` in `manage.py shell` with the servers' environment; its last output line."""
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    return lines[-1] if lines else ""


@contextlib.contextmanager
def cluster_database(tmp):
    """The servers' DATABASE_URL: a SQLite file, or when the suite runs on PostgreSQL a
    database of its own on the same server (created here, dropped afterwards), so that what
    the servers write never lands in the suite's test database."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp / 'cluster.sqlite3'}"
        return
    import psycopg2

    config = environ.Env.db_url_config(url)
    name = f"test_{config['NAME']}_cluster"
    connection = psycopg2.connect(
        dbname=config["NAME"],
        user=config["USER"],
        password=config["PASSWORD"],
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
    )
    connection.autocommit = True

    def drop():
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    try:
        drop()
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        user, password = config["USER"], config["PASSWORD"]
        host, port = config["HOST"] or "127.0.0.1", config["PORT"] or 5432
        yield f"postgres://{user}:{password}@{host}:{port}/{name}"
    finally:
        drop()
        connection.close()


@contextlib.contextmanager
def redis_server(tmp):
    """Debian's redis-server on a loopback port, nothing saved to disk; yields its URL."""
    port = free_port()
    log_path = tmp / "redis.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                required_tool("redis-server"), "--port", str(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", str(tmp),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            wait_for_redis(port, process, log_path)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            stop_group(process)


def wait_for_redis(port, process, log_path, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"redis-server stopped:\n{log_path.read_text()}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1) as s:
            s.sendall(b"PING\r\n")
            if s.recv(16).startswith(b"+PONG"):
                return
        time.sleep(0.1)
    pytest.fail(f"redis-server did not answer:\n{log_path.read_text()}")


@dataclasses.dataclass
class Cluster:
    front: Front
    env: dict
    servers: dict  # port → the `make serve-prod` process
    strategies: list  # [strategy pk, orientation pk], in plan order
    period: int
    evidence: dict  # an indicator that takes evidence files: its pk, a category, a period

    def browser(self, source="127.0.0.1"):
        return self.front.browser(source)

    def manage(self, script):
        return manage_shell(self.env, script)

    @staticmethod
    def upstream(response):
        """The port of the app server that answered `response` (nginx's X-Upstream)."""
        return int(response.headers["X-Upstream"].rsplit(":", 1)[1])

    def align(self, browser, port):
        """Make `browser`'s next request go to `port` (nginx takes the servers in turn)."""
        for _ in range(2 * SERVERS + 1):
            if self.upstream(browser.get("/healthz")) != port:
                return
        pytest.fail(f"nginx never sent a request elsewhere than to {port}")

    def get_via(self, browser, path, port):
        self.align(browser, port)
        response = browser.get(path)
        assert self.upstream(response) == port
        return response

    def post_via(self, browser, path, form, port):
        self.align(browser, port)
        response = browser.request("POST", path, form=form)
        assert self.upstream(response) == port
        return response

    def login(self, browser, username, password=PASSWORD, *, port):
        token = csrf_token(browser.get("/accounts/login/").text)
        form = {"username": username, "password": password, "csrfmiddlewaretoken": token}
        return self.post_via(browser, "/accounts/login/", form, port)

    def record_state(self, browser, index, note, *, port=None):
        """Record a state of strategy `index` with `note` through the server on `port` (None:
        whichever nginx chooses)."""
        strategy, _orientation = self.strategies[index]
        path = f"/strategies/{strategy}/etat/new/"
        html = browser.get(path).text
        seen = re.search(r'name="seen" value="([^"]*)"', html)
        form = {
            "csrfmiddlewaretoken": csrf_token(html),
            "period": self.period,
            "state": "in_progress",
            "note": note,
            "seen": seen.group(1) if seen else "",
        }
        if port is None:
            return browser.request("POST", path, form=form)
        return self.post_via(browser, path, form, port)

    def upload_evidence(self, browser, name, content, *, port):
        """Record indicator 1.2 with one evidence file through the server on `port`."""
        target = self.evidence
        path = f"/indicateurs/{target['indicator']}/"
        fields = {
            "csrfmiddlewaretoken": csrf_token(browser.get(path).text),
            "period": target["period"],
            "version": 0,
            "status": "recorded",
            f"cat_{target['category']}": "3",
        }
        body, content_type = multipart(fields, "evidence_files", name, content)
        self.align(browser, port)
        headers = {
            "Content-Type": content_type,
            "Referer": f"https://127.0.0.1:{self.front.https_port}{path}",
        }
        response = browser.request("POST", path, body=body, headers=headers)
        assert self.upstream(response) == port
        return response

    def orientation_page(self, index):
        """The board page of strategy `index`'s orientation, showing the recorded period."""
        return f"/orientations/{self.strategies[index][1]}/?periode={self.period}"


# Waits (at most 120 s) until the task worker has run every task queued so far.
QUEUE_DONE_SCRIPT = """
import time
from django_tasks_db.models import DBTaskResult
pending = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"])
deadline = time.monotonic() + 120
while pending.exists() and time.monotonic() < deadline:
    time.sleep(0.3)
print(pending.count())
"""


def multipart(fields, file_field, file_name, content):
    """A multipart/form-data body with `fields` and one file; (body, Content-Type)."""
    boundary = secrets.token_hex(16)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{file_name}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@contextlib.contextmanager
def s3_server(tmp):
    """moto's S3 server (`moto_server`) on a loopback port, with an empty private bucket;
    yields the FILE_STORAGE=s3 variables of the servers (tiess/storage.py)."""
    import boto3

    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    log_path = tmp / "s3.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("moto_server")),
                "-H",
                "127.0.0.1",
                "-p",
                str(port),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            variables = {
                "FILE_STORAGE": "s3",
                "AWS_STORAGE_BUCKET_NAME": "tiess-deux-serveurs",
                "AWS_S3_ENDPOINT_URL": endpoint,
                "AWS_S3_REGION_NAME": "ca-central-1",
                "AWS_S3_ADDRESSING_STYLE": "path",
                "AWS_ACCESS_KEY_ID": "tests-only",
                "AWS_SECRET_ACCESS_KEY": "tests-only-secret",
            }
            client = boto3.client(
                "s3",
                endpoint_url=endpoint,
                region_name="ca-central-1",
                aws_access_key_id="tests-only",
                aws_secret_access_key="tests-only-secret",
            )
            wait_for_s3(client, process, log_path)
            client.create_bucket(
                Bucket=variables["AWS_STORAGE_BUCKET_NAME"],
                CreateBucketConfiguration={"LocationConstraint": "ca-central-1"},
            )
            yield variables
        finally:
            stop_group(process)


def wait_for_s3(client, process, log_path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"moto_server stopped:\n{log_path.read_text()}")
        with contextlib.suppress(Exception):
            client.list_buckets()
            return
        time.sleep(0.2)
    pytest.fail(f"moto_server did not answer:\n{log_path.read_text()}")


@contextlib.contextmanager
def task_worker(env, log_path):
    """`make serve-worker` (the task queue's db_worker) with the servers' environment."""
    with log_path.open("w") as log:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "serve-worker"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            stop_group(process)


def server_environment(tmp, *, https_port, database_url, cache_url):
    """Production settings for the servers; `cache_url` None: the default (shared file) cache."""
    env = production_environment(
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1",
        CSRF_TRUSTED_ORIGINS=f"https://127.0.0.1:{https_port}",
        SECURE_PROXY_SSL_HEADER="1",
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        CACHE_DIR=str(tmp / "cache"),
        DATABASE_URL=database_url,
        GUNICORN_WORKERS="1",
        LOG_LEVEL="WARNING",
        # Every export goes through the task worker, however small.
        EXPORT_STREAM_MAX_ROWS="0",
    )
    env.pop("REVERSE_PROXY_COUNT", None)  # the default deployment: one proxy
    env.pop("CACHE_URL", None)
    env.pop("TASKS_BACKEND", None)  # the production queue, in the database
    if cache_url:
        env["CACHE_URL"] = cache_url
    return env


@contextlib.contextmanager
def running_cluster(tmp: Path, *, cache_url=None, worker=False, storage=None):
    """Two app servers behind nginx, sharing a database and a cache (and with `worker`, one
    task worker; with `storage`, the variables of a file storage); yields a Cluster."""
    required_tool("nginx")
    http_port, https_port = free_port(), free_port()
    ports = tuple(free_port() for _ in range(SERVERS))
    with cluster_database(tmp) as database_url, contextlib.ExitStack() as stack:
        env = server_environment(
            tmp, https_port=https_port, database_url=database_url, cache_url=cache_url
        )
        env.update(storage or {})
        ids = json.loads(manage_shell(env, SETUP_SCRIPT))
        # One after the other: each runs collectstatic and migrate before gunicorn.
        servers = {
            port: stack.enter_context(serve_prod(env, tmp / f"serve-{port}.log", port=port))
            for port in ports
        }
        if worker:
            stack.enter_context(task_worker(env, tmp / "worker.log"))
        front = Front(http_port, https_port, tmp / "static", tmp / "serve.log", None, ports)
        stack.enter_context(running_nginx(tmp, front))
        yield Cluster(front, env, servers, ids["strategies"], ids["period"], ids["evidence"])


def check_cached_page_is_shared(cluster):
    """After a save through one server, the board page that server computed is a hit on the
    other: a change the cache cannot know about (a bulk update that bumps no version) stays
    hidden there until the plan's version moves."""
    first, second = cluster.servers
    browser = cluster.browser()
    assert cluster.login(browser, "marie", PASSWORD, port=first).status == 302
    note = f"Note enregistrée {secrets.token_hex(4)}"
    assert cluster.record_state(browser, 0, note, port=first).status == 302
    page = cluster.orientation_page(0)
    assert note in cluster.get_via(browser, page, first).text  # computed and cached

    changed = f"Changée sans nouvelle version {secrets.token_hex(4)}"
    cluster.manage(
        "from indicators.models import StrategyProgress; "
        f"StrategyProgress.objects.filter(note={note!r}).update(note={changed!r})"
    )
    hit = cluster.get_via(browser, page, second).text
    assert note in hit
    assert changed not in hit

    cluster.manage("from plan.versions import plan_data_changed; plan_data_changed(plan_ids='all')")
    assert changed in cluster.get_via(browser, page, second).text
