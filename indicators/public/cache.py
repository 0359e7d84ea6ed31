"""The public pages' cache: the board's page key (board.cache.page_key: plan, data version,
path, language, day, reader's permissions), so that any change the board's cache sees (a value,
a publication tick, a lock) also renews the public page.

Only the page's own parts are kept (title, description, extra head, content): the navigation
and the language form, with its CSRF token, are rendered for each request.
"""

import functools
import re

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.safestring import mark_safe

from indicators.board.cache import MARKS, page_key

_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')


def _parts(html):
    """{title, description, extra_head, content} of a rendered page, or None."""
    title, description = _TITLE.search(html), _DESCRIPTION.search(html)
    if title is None or description is None:
        return None
    # base.html appends « · <site name> » to the page's own title.
    parts = {"title": title.group(1).rsplit(" · ", 1)[0], "description": description.group(1)}
    for name, (opening, closing) in MARKS.items():
        start, end = html.find(opening), html.find(closing)
        if start < 0 or end < 0:
            return None
        parts[name] = html[start + len(opening) : end]
    return parts


def cached_public_page(view):
    """Serve a public page's parts from the cache while its plan's data is unchanged; the view
    receives its published plan as the `plan` argument."""
    view_name = f"{view.__module__}.{view.__name__}"

    @functools.wraps(view)
    def wrapper(request, *, plan, **kwargs):
        key = "public-" + page_key(request, view_name, (), plan.pk, plan.data_version)
        parts = cache.get(key)
        if parts is not None:
            return render(
                request,
                "public/cached_page.html",
                {"cached": {name: mark_safe(text) for name, text in parts.items()}},  # noqa: S308
            )
        response = view(request, plan=plan, **kwargs)
        if response.status_code == 200:
            parts = _parts(response.content.decode(response.charset))
            if parts is not None:
                cache.set(key, parts, settings.BOARD_CACHE_SECONDS)
        return response

    return wrapper
