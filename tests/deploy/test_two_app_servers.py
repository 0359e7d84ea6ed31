"""Two app servers behind the repository's nginx, as in production (README « Production »).

Two `make serve-prod` (gunicorn) instances on two loopback ports share one database (a SQLite
file, or a PostgreSQL database when the suite runs on PostgreSQL) and Debian's redis-server
as CACHE_URL. Every request goes through nginx; `Cluster.align` chooses which server gets it.
"""

import json
import re
import secrets
import threading
import time

import pytest
import redis

from tests.deploy.cluster import (
    PASSWORD,
    QUEUE_DONE_SCRIPT,
    check_cached_page_is_shared,
    csrf_token,
    redis_server,
    running_cluster,
    s3_server,
)
from tests.security.prod_server import stop_group

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture(scope="module")
def s3_storage(tmp_path_factory):
    with s3_server(tmp_path_factory.mktemp("s3")) as variables:
        yield variables


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, redis_url, s3_storage):
    tmp = tmp_path_factory.mktemp("two-servers")
    with running_cluster(tmp, cache_url=redis_url, worker=True, storage=s3_storage) as cluster:
        yield cluster


def test_the_servers_cache_board_pages_in_redis(cluster, redis_url):
    first, _second = cluster.servers
    browser = cluster.browser()
    assert cluster.login(browser, "marie", port=first).status == 302
    assert cluster.get_via(browser, "/", first).status == 200
    keys = redis.Redis.from_url(redis_url).keys("*board-page:*")
    assert keys


def test_a_value_saved_through_one_server_appears_at_once_through_the_other(cluster):
    first, second = cluster.servers
    browser = cluster.browser()
    assert cluster.login(browser, "marie", port=first).status == 302
    page = cluster.orientation_page(1)
    assert cluster.get_via(browser, page, second).status == 200  # cached before the save

    note = f"Partenariat signé {secrets.token_hex(4)}"
    assert cluster.record_state(browser, 1, note, port=first).status == 302
    assert note in cluster.get_via(browser, page, second).text


def test_a_board_page_cached_after_a_save_is_a_hit_on_the_other_server(cluster):
    check_cached_page_is_shared(cluster)


def test_an_evidence_file_uploaded_through_one_server_downloads_through_the_other(cluster):
    first, second = cluster.servers
    browser = cluster.browser()
    assert cluster.login(browser, "marie", port=first).status == 302
    content = b"%PDF-1.4\n% " + secrets.token_hex(16).encode() + b"\n%%EOF\n"
    assert cluster.upload_evidence(browser, "Bilan.pdf", content, port=first).status == 302

    page = cluster.get_via(browser, f"/indicateurs/{cluster.evidence['indicator']}/", second)
    (link,) = set(re.findall(r'href="(/preuves/\d+/)"', page.text))
    download = cluster.get_via(browser, link, second)
    assert download.status == 200
    assert download.body == content
    # In the bucket, not on the servers' disk.
    assert not list((cluster.front.static_root.parent / "media").rglob("*.pdf"))


def test_an_export_asked_on_one_server_is_built_by_the_worker_and_downloaded_on_the_other(
    cluster,
):
    first, second = cluster.servers
    browser = cluster.browser()
    assert cluster.login(browser, "marie", port=first).status == 302
    offer = browser.get("/saisie/export.csv").text  # past EXPORT_STREAM_MAX_ROWS: an offer
    form = {"csrfmiddlewaretoken": csrf_token(offer)}
    asked = cluster.post_via(browser, "/saisie/export.csv", form, first)
    assert asked.status == 302
    export_page = asked.headers["Location"]  # /exports/<pk>/

    deadline = time.monotonic() + 120
    while True:
        state = json.loads(cluster.get_via(browser, f"{export_page}etat/", second).text)
        if state["finished"] or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert state["status"] == "ready", state
    download = cluster.get_via(browser, state["download_url"], second)
    assert download.status == 200
    assert "2.1" in download.body.decode("utf-8-sig")


def test_the_first_board_visit_after_a_save_is_a_hit_on_either_server(cluster):
    """After a save, the worker renders the board into the shared cache (board/warm.py): a
    board member's first dashboard, on either server, comes from the cache. A bulk update
    that bumps no version stays hidden, which only a cache hit explains."""
    first, second = cluster.servers
    staff = cluster.browser()
    assert cluster.login(staff, "marie", port=first).status == 302
    note = f"Avant la rencontre {secrets.token_hex(4)}"
    assert cluster.record_state(staff, 0, note, port=first).status == 302
    assert cluster.manage(QUEUE_DONE_SCRIPT) == "0"  # the warm task ran

    orientation = f"Orientation.objects.filter(pk={cluster.strategies[0][1]})"
    changed = f"Titre changé sans nouvelle version {secrets.token_hex(4)}"
    kept = cluster.manage(
        "from plan.models import Orientation; import json; "
        f"print(json.dumps({orientation}.get().title)); {orientation}.update(title={changed!r})"
    )
    board = cluster.browser("127.0.0.5")
    assert cluster.login(board, "andre", port=second).status == 302
    for port in (second, first):
        assert changed not in cluster.get_via(board, "/", port).text  # served from the cache

    bump = "from plan.versions import plan_data_changed; plan_data_changed(plan_ids='all')"
    cluster.manage(bump)
    assert changed in cluster.get_via(board, "/", second).text  # the page does show titles
    cluster.manage(
        f"from plan.models import Orientation; {orientation}.update(title={kept}); {bump}"
    )


def test_a_login_lockout_holds_on_both_servers(cluster):
    first, second = cluster.servers
    browser = cluster.browser("127.0.0.2")
    # Five failures, shared between the servers.
    for attempt in range(4):
        port = (first, second)[attempt % 2]
        assert cluster.login(browser, "luc", "mauvais", port=port).status == 200
    assert cluster.login(browser, "luc", "mauvais", port=first).status == 429
    # The right password is refused by both.
    assert cluster.login(browser, "luc", PASSWORD, port=first).status == 429
    assert cluster.login(browser, "luc", PASSWORD, port=second).status == 429
    # Another address is not locked out (the lockout is per user name and address).
    assert cluster.login(cluster.browser("127.0.0.3"), "luc", port=second).status == 302


def test_stopping_one_server_loses_no_acknowledged_write(cluster):
    """Writes go on through nginx while one server stops (SIGTERM, as systemctl stop does):
    every write answered by a redirect is in the database afterwards, and writes go on
    being acknowledged by the other server."""
    first, second = cluster.servers
    browser = cluster.browser("127.0.0.4")
    assert cluster.login(browser, "marie", port=first).status == 302
    acknowledged, answers, stopped = [], [], threading.Event()

    def write():
        for index in range(2, len(cluster.strategies)):
            note = f"Écriture {index} {secrets.token_hex(3)}"
            response = cluster.record_state(browser, index, note)
            answers.append((stopped.is_set(), response.status))
            if response.status == 302:
                acknowledged.append(note)

    writer = threading.Thread(target=write)
    writer.start()
    while len(answers) < 4 and writer.is_alive():
        time.sleep(0.05)
    stop_group(cluster.servers[first])
    stopped.set()
    writer.join(timeout=300)
    assert not writer.is_alive()

    assert sum(1 for after, status in answers if after and status == 302) >= 5
    saved = cluster.manage(
        "from indicators.models import StrategyProgress; "
        "print('|'.join(StrategyProgress.objects.values_list('note', flat=True)))"
    ).split("|")
    assert acknowledged
    assert set(acknowledged) <= set(saved)
    # nginx now sends everything to the remaining server.
    assert {cluster.upstream(browser.get("/healthz")) for _ in range(4)} == {second}
