"""Printed pages: the running header and footer of every page, as a small stylesheet.

Chromium prints @page margin boxes, so « page X de Y » and the plan, period and production
date on every page need no script. Their texts depend on the report, so the stylesheet is
served by a view (same origin: the strict Content-Security-Policy allows it) and every text
is a properly escaped CSS string.
"""

from django.http import HttpResponse
from django.utils.translation import gettext as _


def _css_string(text):
    """A CSS string literal: quotes, backslashes and line breaks escaped."""
    escaped = str(text).replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\a ").replace("\r", "").replace("<", "\\3c ")
    return f'"{escaped}"'


def _page_counter():
    """« "page " counter(page) " de " counter(pages) » in the active language."""
    text = _("page %(page)s of %(pages)s") % {"page": "\x00page\x00", "pages": "\x00pages\x00"}
    parts = []
    for index, piece in enumerate(text.split("\x00")):
        if index % 2:
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(_css_string(piece))
    return " ".join(parts)


def print_stylesheet(*, left, right):
    """@page margin boxes: `left` and `right` on top of every page, page X of Y below."""
    css = (
        "@page {\n"
        f"  @top-left {{ content: {_css_string(left)}; }}\n"
        f"  @top-right {{ content: {_css_string(right)}; }}\n"
        f"  @bottom-right {{ content: {_page_counter()}; }}\n"
        "}\n"
    )
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "private, no-cache"
    return response
