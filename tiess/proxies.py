"""Where the client's address is when reverse proxies stand in front of gunicorn.

Each proxy appends to `X-Forwarded-For` the address it received the request from, and the
last proxy's own address is `REMOTE_ADDR`. With `count` proxies, the client is therefore the
`count`-th entry from the right end of the header; anything to its left was written by the
client itself and can be forged. django-axes reads the address through django-ipware, which
picks the entry `proxy_count + 1` places from the right when strict checking is off
(`IPWARE_STRICT = False`): a forged prefix is then ignored instead of voiding the header.
"""

from django.core.exceptions import ImproperlyConfigured

FORWARDED_HEADER = "HTTP_X_FORWARDED_FOR"


def axes_ipware_settings(count):
    """`(AXES_IPWARE_META_PRECEDENCE_ORDER, AXES_IPWARE_PROXY_COUNT)` for `count` proxies.

    No proxy: only the socket's address counts, and a client's `X-Forwarded-For` is ignored.
    """
    if count < 0:
        raise ImproperlyConfigured("REVERSE_PROXY_COUNT cannot be negative.")
    if count == 0:
        return ("REMOTE_ADDR",), None
    return (FORWARDED_HEADER, "REMOTE_ADDR"), count - 1
