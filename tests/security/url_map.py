"""Every URL pattern of the project, found by walking the resolver, and concrete paths for them."""

from django.urls import URLPattern, URLResolver, get_resolver

ADMIN_NAMESPACE = "admin"


def walk(resolver=None, prefix="", namespace=""):
    """Yield (qualified name, route) for every URL pattern, recursively through includes."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(entry, route, inner)
        elif isinstance(entry, URLPattern):
            name = entry.name or f"<unnamed {route}>"
            yield (f"{namespace}:{name}" if namespace else name), route


def project_urls():
    """{qualified name: route} outside the Django admin."""
    return {
        name: route
        for name, route in walk()
        if not (name == ADMIN_NAMESPACE or name.startswith(f"{ADMIN_NAMESPACE}:"))
    }


def admin_urls():
    return {name: route for name, route in walk() if name.startswith(f"{ADMIN_NAMESPACE}:")}


def finish(response):
    """Read a file download to its end, which closes the file (and nothing else).

    Calling `response.close()` again in a test would send `request_finished` and close the
    database connection, which breaks the test's transaction on PostgreSQL.
    """
    if response.streaming:
        b"".join(response.streaming_content)
