"""Ids past 1 000 stay plain digits in links, anchors and form values, and every link works.

`USE_THOUSAND_SEPARATOR` is on, so an integer printed raw by a template comes out as
« 1 234 » (French) or "1,234" (English): a link or a posted id that breaks only once a
database has grown. Each role's pages are crawled from the menu, on a plan whose every row
has an id above 12 000; each link a person can follow must answer, and
no id-like attribute may hold a grouped number.
"""

import datetime
import re
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.apps import apps
from django.db import connection

from indicators.board.services import meeting_create, meeting_present
from indicators.lifecycle.copy import plan_copy
from indicators.models import Indicator, MeasureKind, StrategyState
from tests import factories
from tests.public.published import publish_plan

HIGH_ID = 12_345
GROUPED = re.compile(r"\d[\u00a0\u202f,]\d{3}(?!\d)")
ID_ATTRIBUTES = {"href", "action", "src", "id", "for", "name", "headers", "form", "list"}
CHOSEN_VALUE_TAGS = {"option", "button"}
CHOSEN_VALUE_TYPES = {"hidden", "checkbox", "radio", "submit"}
# Links that leave the session, change the language, or only answer a POST.
NOT_FOLLOWED = ("/accounts/logout/", "/i18n/", "/static/", "/media/", "/admin/logout/")
PAGES_PER_ROLE = 220


def _tables():
    return [
        model._meta.db_table
        for label in ("plan", "indicators", "board", "api")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]


def bump_sequences(start):
    """Make the next row of every project table take an id from `start` on.

    SQLite's counters roll back with the test; PostgreSQL's sequences do not, so
    `sequences_back` sets them back after it.
    """
    with connection.cursor() as cursor:
        for table in _tables():
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)", [table, start]
                )
            else:
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, start]
                )


def sequences_back():
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in _tables():
            highest = f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}"  # model tables
            next_id = f"COALESCE(({highest}), 0) + 1"
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), {next_id}, false)", [table]
            )


@pytest.fixture
def high_ids_plan(plan_2018_2023, staff_user, board_user, media_root):
    """A copy of the plan, current and published, whose rows all have ids above HIGH_ID."""
    bump_sequences(HIGH_ID)
    plan = plan_copy(
        source=plan_2018_2023,
        title="Plan stratégique 2024-2029",
        start_year=2024,
        end_year=2029,
        with_targets=True,
    )
    plan_2018_2023.is_current = False
    plan_2018_2023.save(update_fields=["is_current"])
    plan.is_current = True
    plan.save(update_fields=["is_current"])
    first, second = plan.periods.order_by("start_date")[:2]
    by_category = Indicator.objects.filter(
        result__orientation__plan=plan,
        kind=MeasureKind.COUNT_BY_CATEGORY,
    )
    for indicator in by_category:
        for period, value in ((first, 10), (second, 1234)):
            categories = indicator.dimension.categories.all()
            breakdown = {category: Decimal(value) for category in categories}
            measurement = factories.measurement(indicator, period, staff_user, breakdown=breakdown)
    factories.evidence_file(measurement, staff_user, name="bilan 2025.pdf")
    strategy = plan.orientations.first().strategies.first()
    factories.strategy_progress(strategy, first, staff_user, state=StrategyState.IN_PROGRESS)
    meeting = meeting_create(
        plan=plan, date=datetime.date(2025, 6, 10), title="Conseil", period=first, user=staff_user
    )
    meeting_present(meeting=meeting, user=staff_user)
    publish_plan(plan, staff_user)
    yield plan
    sequences_back()


class _Links(HTMLParser):
    """The links of a page, and its id-like attributes that hold a grouped number."""

    def __init__(self):
        super().__init__()
        self.links, self.grouped = [], []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        for name, value in attrs:
            if value and self._id_like(tag, name, attributes) and GROUPED.search(value):
                self.grouped.append(f"<{tag} {name}={value!r}>")

    @staticmethod
    def _id_like(tag, name, attributes):
        if name in ID_ATTRIBUTES or name.startswith(("data-", "aria-")):
            return not name.startswith("aria-label") or name == "aria-labelledby"
        if name == "value":
            return tag in CHOSEN_VALUE_TAGS or attributes.get("type") in CHOSEN_VALUE_TYPES
        return False


def _followed(href, seen_shapes):
    """The path to visit for `href`, or None: one visit per path and set of query keys."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(NOT_FOLLOWED):
        return None
    shape = (parts.path, frozenset(key for key, _ in parse_qsl(parts.query)))
    if shape in seen_shapes:
        return None
    seen_shapes.add(shape)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client, starts):
    """{path: problem} over the pages reached from `starts`: bad answers, grouped ids."""
    queue, seen, problems, visited = list(starts), set(), {}, 0
    for start in starts:
        _followed(start, seen)
    while queue and visited < PAGES_PER_ROLE:
        path = queue.pop(0)
        visited += 1
        response = client.get(path)
        if response.status_code not in (200, 302):
            problems[path] = f"answered {response.status_code}"
            continue
        if response.streaming:  # a file: read to the end, so that the client closes it
            b"".join(response.streaming_content)
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        if parser.grouped:
            problems[path] = parser.grouped[:3]
        queue.extend(link for href in parser.links if (link := _followed(href, seen)))
    assert visited > 20, "the crawl stopped early: the menu's links were not found"
    return problems


@pytest.mark.parametrize(
    ("role", "starts"),
    [
        ("board_user", ["/", "/rencontres/", "/public/"]),
        ("staff_user", ["/", "/saisie/", "/compte/rappels/"]),
        ("admin_user", ["/", "/admin/indicators/", "/admin/plan/", "/admin/board/"]),
    ],
)
def test_every_link_of_each_role_answers_and_no_id_is_grouped(
    client, high_ids_plan, role, starts, request
):
    client.force_login(request.getfixturevalue(role))
    problems = crawl(client, starts)
    assert not problems, "\n".join(f"{path}: {problem}" for path, problem in problems.items())
