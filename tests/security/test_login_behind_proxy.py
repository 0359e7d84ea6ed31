"""Login throttling behind nginx: the lockout keys on the client's address, not the proxy's.

Every request reaches gunicorn from nginx on loopback (`REMOTE_ADDR=127.0.0.1`); nginx appends
the address of the client it served to `X-Forwarded-For` ($proxy_add_x_forwarded_for).
"""

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ImproperlyConfigured

from tiess import proxies

LOGIN_URL = "/accounts/login/"
NGINX = "127.0.0.1"
CLIENT_A = "203.0.113.10"
CLIENT_B = "198.51.100.20"
RIGHT_PASSWORD = "mot-de-passe-personnel"

pytestmark = pytest.mark.django_db


def login_through_nginx(client, password, forwarded_for, username="marie"):
    """The login POST as gunicorn receives it from nginx."""
    return client.post(
        LOGIN_URL,
        {"username": username, "password": password},
        REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@pytest.fixture
def proxy_count(settings):
    """Apply the settings that `REVERSE_PROXY_COUNT=<count>` gives."""

    def _proxy_count(count):
        order, ipware_count = proxies.axes_ipware_settings(count)
        settings.AXES_IPWARE_META_PRECEDENCE_ORDER = order
        settings.AXES_IPWARE_PROXY_COUNT = ipware_count

    return _proxy_count


def test_default_deployment_is_one_proxy(settings):
    assert settings.REVERSE_PROXY_COUNT == 1
    assert settings.AXES_IPWARE_META_PRECEDENCE_ORDER == ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")


def test_five_failures_from_one_client_lock_only_that_client_out(client, staff_user):
    for _ in range(4):
        assert login_through_nginx(client, "mauvais", CLIENT_A).status_code == 200
    assert login_through_nginx(client, "mauvais", CLIENT_A).status_code == 429
    # The right password from client A is refused during the cool-off…
    assert login_through_nginx(client, RIGHT_PASSWORD, CLIENT_A).status_code == 429
    assert "_auth_user_id" not in client.session
    # …while client B, same user name, same proxy, logs in.
    response = login_through_nginx(client, RIGHT_PASSWORD, CLIENT_B)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff_user.pk)
    attempt = AccessAttempt.objects.get(username="marie")
    assert attempt.ip_address == CLIENT_A
    assert attempt.failures_since_start >= 5


def test_a_forged_forwarded_for_does_not_escape_the_lockout(client, staff_user):
    for _ in range(5):
        login_through_nginx(client, "mauvais", CLIENT_A)
    # Client A sends its own X-Forwarded-For; nginx appends A's real address after it.
    forged = f"{CLIENT_B}, {CLIENT_A}"
    assert login_through_nginx(client, RIGHT_PASSWORD, forged).status_code == 429
    assert AccessAttempt.objects.filter(ip_address=CLIENT_B).count() == 0


def test_other_client_address_headers_are_ignored(client, staff_user):
    for _ in range(5):
        client.post(
            LOGIN_URL,
            {"username": "marie", "password": "mauvais"},
            REMOTE_ADDR=NGINX,
            HTTP_X_FORWARDED_FOR=CLIENT_A,
            # Headers that nginx passes through untouched: the client controls them.
            HTTP_X_REAL_IP=CLIENT_B,
            HTTP_CLIENT_IP=CLIENT_B,
            HTTP_FORWARDED=f"for={CLIENT_B}",
        )
    assert AccessAttempt.objects.get(username="marie").ip_address == CLIENT_A


def test_two_proxies_take_the_address_the_first_proxy_saw(client, staff_user, proxy_count):
    proxy_count(2)
    load_balancer = "10.0.0.5"
    for _ in range(5):
        login_through_nginx(client, "mauvais", f"192.0.2.1, {CLIENT_A}, {load_balancer}")
    assert AccessAttempt.objects.get(username="marie").ip_address == CLIENT_A
    # Client B behind the same load balancer is not locked out.
    response = login_through_nginx(client, RIGHT_PASSWORD, f"{CLIENT_B}, {load_balancer}")
    assert response.status_code == 302


def test_without_proxy_the_forwarded_header_is_ignored(client, staff_user, proxy_count):
    proxy_count(0)
    for _ in range(5):
        login_through_nginx(client, "mauvais", CLIENT_A)
    assert AccessAttempt.objects.get(username="marie").ip_address == NGINX
    # Changing the header does not help: the socket's address is the key.
    assert login_through_nginx(client, RIGHT_PASSWORD, CLIENT_B).status_code == 429


def test_a_negative_proxy_count_is_refused():
    with pytest.raises(ImproperlyConfigured):
        proxies.axes_ipware_settings(-1)
