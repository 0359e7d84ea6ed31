"""One cache for every process of a host (the default file cache), Django's Redis backend.

The suite itself runs on CACHE_URL=dummycache:// (each test isolated); the tests that need a
shared cache start processes of their own with the production default, in a temporary folder.
"""

import secrets

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings

from tests.deploy.cluster import check_cached_page_is_shared, manage_shell, running_cluster
from tests.security.prod_server import production_environment
from tiess.caches import FILE_CACHE, REDIS_CACHE, cache_config


def test_without_cache_url_every_process_shares_a_file_cache(tmp_path):
    config = cache_config("", default_location=tmp_path / "cache")
    assert config["BACKEND"] == FILE_CACHE
    assert config["LOCATION"] == str(tmp_path / "cache")


@pytest.mark.parametrize(
    "url", ["redis://127.0.0.1:6379/1", "rediss://cache.example:6380/0", "rediscache://h:1/2"]
)
def test_a_redis_url_selects_djangos_own_redis_backend(url, tmp_path):
    config = cache_config(url, default_location=tmp_path)
    # Not django-redis, to which django-environ maps redis:// when that package is installed.
    assert config["BACKEND"] == REDIS_CACHE
    assert config["LOCATION"].split("://")[0] in {"redis", "rediss"}


def test_redis_options_are_passed_in_djangos_lower_case(tmp_path):
    config = cache_config("redis://127.0.0.1:6379/1?DB=2&timeout=60", default_location=tmp_path)
    assert config["BACKEND"] == REDIS_CACHE
    assert config["TIMEOUT"] == 60
    assert config["OPTIONS"] == {"db": 2}


def test_other_cache_urls_are_read_by_django_environ(tmp_path):
    assert cache_config("dummycache://", default_location=tmp_path)["BACKEND"].endswith(
        "DummyCache"
    )
    assert cache_config("locmemcache://x", default_location=tmp_path)["BACKEND"].endswith(
        "LocMemCache"
    )


@pytest.mark.django_db
def test_migrate_empties_the_shared_cache(tmp_path):
    """A deployment runs migrate: pages rendered by the previous code, or for a previous
    database whose plan versions started again, are not served."""
    with override_settings(CACHES={"default": cache_config("", default_location=tmp_path)}):
        cache.set("board-page:before", {"content": "old"})
        call_command("migrate", verbosity=0)
        assert cache.get("board-page:before") is None


SET_SCRIPT = "from django.core.cache import cache; cache.set('shared', {value!r}); print('ok')"
GET_SCRIPT = "from django.core.cache import cache; print(cache.get('shared'))"


@pytest.mark.slow
def test_two_processes_share_the_default_cache(tmp_path):
    env = production_environment(
        SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CACHE_DIR=str(tmp_path / "cache"),
    )
    env.pop("CACHE_URL", None)  # the production default
    value = secrets.token_hex(8)
    assert manage_shell(env, SET_SCRIPT.format(value=value)) == "ok"
    assert manage_shell(env, GET_SCRIPT) == value
    assert list((tmp_path / "cache").iterdir())  # the file cache's folder, not a memory


@pytest.mark.slow
def test_a_board_page_cached_on_one_server_is_a_hit_on_the_other(tmp_path):
    """Default cache (no CACHE_URL): a page computed by one server after a save is served
    from the shared cache by the other."""
    with running_cluster(tmp_path) as cluster:
        assert "CACHE_URL" not in cluster.env
        check_cached_page_is_shared(cluster)
