"""With two plans loaded, every choice list of the admin names the plan of its choices."""

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.urls import reverse

from indicators.lifecycle.copy import plan_copy
from indicators.models import Indicator, Measurement, ReportingPeriod, Target
from indicators.recording.services import strategy_progress_record
from plan.models import Result, Strategy


class Selects(HTMLParser):
    """The visible labels of each <select> of a page: {name: [label, …]}."""

    def __init__(self):
        super().__init__()
        self.selects, self._name, self._option = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self._name = attrs.get("name") or attrs.get("id")
            self.selects.setdefault(self._name, [])
        elif tag == "option" and self._name is not None:
            self._option = ""

    def handle_data(self, data):
        if self._option is not None:
            self._option += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            if self._option.strip("- \n"):
                self.selects[self._name].append(self._option.strip())
            self._option = None
        elif tag == "select":
            self._name = None


def duplicated_labels(page):
    parser = Selects()
    parser.feed(page)
    return {
        name: [label for label, count in Counter(labels).items() if count > 1]
        for name, labels in parser.selects.items()
        if len(set(labels)) != len(labels)
    }


@pytest.fixture
def two_plans(plan_2018_2023, admin_user, tools_indicator):
    """The 2018-2023 plan and its copy, each with a target and a strategy state."""
    copy = plan_copy(
        source=plan_2018_2023,
        title="Plan stratégique 2023-2028",
        start_year=2023,
        end_year=2028,
    )
    for plan in (plan_2018_2023, copy):
        indicator = Indicator.objects.of_plan(plan).get(wording=tools_indicator.wording)
        period = plan.periods.order_by("start_date")[1]
        Target.objects.create(indicator=indicator, period=period, value=5)
        strategy_progress_record(
            strategy=Strategy.objects.filter(orientation__plan=plan).first(),
            period=period,
            state="in_progress",
            note="",
            user=admin_user,
        )
    return plan_2018_2023, copy


def test_no_admin_choice_list_shows_two_identical_labels_with_two_plans(admin_client, two_plans):
    visited = []
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls = [reverse("admin:{}_{}_add".format(*info))]
        # A change page of each plan's objects, where the model belongs to a plan.
        lookup = getattr(model, "PLAN_LOOKUP", None)
        for plan in two_plans:
            queryset = model._default_manager.all()
            if lookup:
                queryset = queryset.filter(**{lookup: plan})
            elif hasattr(model, "plan"):
                queryset = queryset.filter(plan=plan)
            obj = queryset.first()
            if obj is not None:
                urls.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
        for url in urls:
            response = admin_client.get(url)
            if response.status_code == 403:  # e.g. values are never added in the admin
                continue
            assert response.status_code == 200, url
            assert duplicated_labels(response.content.decode()) == {}, url
            visited.append(url)
    assert reverse("admin:indicators_indicator_add") in visited
    assert reverse("admin:plan_strategy_add") in visited


def test_choices_that_span_plans_name_the_plan(admin_client, two_plans):
    page = admin_client.get(reverse("admin:indicators_indicator_add")).content.decode()
    assert "2018-2023 · Résultat 1" in page
    assert "2023-2028 · Résultat 1" in page
    assert "2018-2023 · 2020-2021" in page  # baseline period

    indicator = Indicator.objects.of_plan(two_plans[1]).get(result__number=1, order=2)
    page = admin_client.get(
        reverse("admin:indicators_indicator_change", args=[indicator.pk])
    ).content.decode()
    assert "2023-2028 · 2024-2025" in page  # the target's period


def test_list_filters_name_the_plan(admin_client, two_plans):
    page = admin_client.get(reverse("admin:indicators_indicator_changelist")).content.decode()
    assert "2018-2023 · Orientation 1" in page
    assert "2023-2028 · Orientation 1" in page
    page = admin_client.get(reverse("admin:indicators_strategyprogress_changelist")).content
    assert "2023-2028 · 2024-2025" in page.decode()


def test_history_names_the_plan(two_plans):
    target = Target.objects.get(period__plan=two_plans[1])
    assert str(target).startswith("2023-2028 · 2024-2025 – Nombre et types d'outils")
    assert str(ReportingPeriod.objects.get(plan=two_plans[0], name="2019-2020").plan_label) == (
        "2018-2023 · 2019-2020"
    )
    assert Result.objects.filter(orientation__plan=two_plans[0]).first().plan_label == (
        "2018-2023 · Résultat 1"
    )
    assert not Measurement.objects.exists()
