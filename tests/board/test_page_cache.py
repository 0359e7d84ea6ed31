"""The board's page cache: every write path changes the cached pages right after it commits.

Tests run with the dummy cache (Makefile); these ones switch to the in-memory cache. Each
write runs inside `django_capture_on_commit_callbacks(execute=True)`, i.e. its commit, so the
data version is bumped exactly as in production; the page served from the cache must then be
the page a fresh render gives.
"""

import gzip
import json
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Permission
from django.core import serializers
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from indicators.lifecycle.periods import plan_create_default_periods
from indicators.models import Dimension, Indicator, MeasureKind, StrategyState
from indicators.recording.guard import period_set_locked
from indicators.recording.services import measurement_record, strategy_progress_record
from plan.models import StrategicPlan
from tests import codes, factories
from tests.indicators.test_backup_restore import empty_database

DASHBOARD = reverse("board:dashboard")


@pytest.fixture
def page_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield cache
    cache.clear()


def main_part(response):
    html = response.content.decode()
    return html[html.index("<!--page-content-->") : html.index("<!--/page-content-->")]


def data_version():
    plan = StrategicPlan.objects.current()
    return (plan.pk, plan.data_version) if plan else None


class FormValues(HTMLParser):
    """The values an admin change form would send back as it is shown."""

    def __init__(self):
        super().__init__()
        self.values, self._select, self._textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "button", "file"}:
            if attrs.get("type") in {"checkbox", "radio"} and "checked" not in attrs:
                return
            default = "on" if attrs.get("type") in {"checkbox", "radio"} else ""
            self.values.append((name, attrs.get("value") or default))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.values.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = name
            self.values.append((name, ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            name, text = self.values.pop()
            self.values.append((name, text + data))


def admin_submit(client, url, **changes):
    """Submit the admin form at `url` as shown, with `changes`; the admin must accept it."""
    parser = FormValues()
    parser.feed(client.get(url).content.decode())
    data = {}
    for name, value in parser.values:
        data.setdefault(name, []).append(value.removeprefix("\n"))
    data.pop("csrfmiddlewaretoken", None)
    for name in list(data):
        if name.startswith("_"):
            del data[name]
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, re.findall(
        r"errorlist[^>]*>(.*?)</ul>", response.content.decode()
    )
    return response


def admin_delete(client, model, pk):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_delete", args=[pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not model.objects.filter(pk=pk).exists()


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


@pytest.mark.django_db
def test_every_write_path_changes_the_cached_dashboard_right_after(
    page_cache,
    plan_2018_2023,
    board_user,
    staff_user,
    admin_user,
    client,
    django_capture_on_commit_callbacks,
    tmp_path,
    media_root,
):
    board = client
    board.force_login(board_user)
    admin = type(client)()
    admin.force_login(admin_user)
    staff = type(client)()
    staff.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        count = factories.indicator(codes.result(1), kind=MeasureKind.COUNT, wording="Compte")
    period = codes.period("2021-2022")
    strategy = codes.strategy("1.1")
    checked = []

    def write(name, *, shows=None, bumps=True):
        """Decorate a write: the cached page before, the write committed, the page after."""

        def run(action):
            board.get(DASHBOARD)  # cached now
            before_version = data_version()
            before = main_part(board.get(DASHBOARD))
            with django_capture_on_commit_callbacks(execute=True):
                action()
            served = board.get(DASHBOARD)
            cache.clear()
            fresh = board.get(DASHBOARD)
            assert main_part(served) == main_part(fresh), f"stale dashboard after {name}"
            if bumps:
                assert data_version() != before_version, f"no new data version after {name}"
            if shows is not None:
                assert shows in main_part(served), f"{name}: {shows!r} not shown"
                assert shows not in before, f"{name}: {shows!r} already shown"
            checked.append(name)

        return run

    # Services
    @write("measurement_record", shows="987")
    def _():
        measurement_record(indicator=count, period=period, user=staff_user, value=Decimal(987))

    @write("strategy_progress_record")
    def _():
        strategy_progress_record(
            strategy=strategy,
            period=period,
            state=StrategyState.values[-1],
            note="Note du test de cache",
            user=staff_user,
        )

    @write("period_set_locked")
    def _():
        period_set_locked(period=period, locked=True)

    # Import (the staff's upload and confirmation)
    @write("measurements import", shows="654")
    def _():
        content = (
            "Code de l’indicateur;Période;Statut;Valeur (total pour une ventilation);"
            "Catégorie;Valeur de la catégorie;Commentaire;Explication (non mesuré);"
            f"Raison de la modification\r\n{count.code};2022-2023;saisi;654;;;;;\r\n"
        )
        preview = staff.post(
            "/saisie/import/",
            {"file": SimpleUploadedFile("valeurs.csv", content.encode("utf-8"))},
        )
        result = preview.context["preview"]
        assert result.is_valid, [row.errors for row in result.rows]
        staff.post("/saisie/import/", {"confirm": "1", "token": result.token})

    # Admin: change each model the board shows, add and delete some.
    @write("admin: plan change", shows="Plan renommé par le test")
    def _():
        admin_submit(
            admin, change_url(plan_2018_2023), title="Plan renommé par le test", end_year=2024
        )

    @write("plan_create_default_periods", shows="2023-2024")
    def _():
        plan_create_default_periods(plan=StrategicPlan.objects.get(pk=plan_2018_2023.pk))

    orientation = codes.orientation(1, plan_2018_2023)

    @write("admin: orientation change", shows="Orientation retitrée")
    def _():
        admin_submit(admin, change_url(orientation), title="Orientation retitrée")

    @write("admin: result change", shows="Résultat reformulé")
    def _():
        admin_submit(
            admin, change_url(codes.result(1, plan_2018_2023)), statement="Résultat reformulé"
        )

    @write("admin: indicator change", shows="Indicateur reformulé")
    def _():
        admin_submit(admin, change_url(count), wording="Indicateur reformulé")

    added = {}

    @write("admin: indicator add", shows="Indicateur ajouté par le test")
    def _():
        admin.post(
            reverse("admin:indicators_indicator_add"),
            {
                "result": codes.result(1, plan_2018_2023).pk,
                "order": 9,
                "wording": "Indicateur ajouté par le test",
                "kind": "count",
                "direction": "increase",
                "frequency": "annual",
                "plausibility_factor": "3",
                "levels-TOTAL_FORMS": 1,
                "levels-INITIAL_FORMS": 0,
                "levels-0-value": 1,
                "levels-0-label": "Niveau du test",
                "targets-TOTAL_FORMS": 1,
                "targets-INITIAL_FORMS": 0,
                "targets-0-period": period.pk,
                "targets-0-value": "5555",
            },
        )
        added["indicator"] = Indicator.objects.get(wording="Indicateur ajouté par le test")

    @write("admin: target and level change (indicator inlines)")
    def _():
        indicator = added["indicator"]
        assert indicator.targets.exists()
        assert indicator.levels.exists()
        admin_submit(
            admin, change_url(indicator), **{"targets-0-value": "6666", "levels-0-label": "Autre"}
        )
        assert indicator.targets.get().value == Decimal(6666)

    @write("admin: indicator delete")
    def _():
        indicator = added["indicator"]
        indicator.targets.all().delete()
        admin_delete(admin, Indicator, indicator.pk)

    @write("admin: period change", shows="Période renommée")
    def _():
        admin_submit(
            admin, change_url(codes.period("2023-2024", plan_2018_2023)), name="Période renommée"
        )

    @write("admin: period delete")
    def _():
        admin_delete(admin, type(period), codes.period("Période renommée", plan_2018_2023).pk)

    @write("admin: strategy change and link to a result", shows="Stratégie réécrite")
    def _():
        others = list(strategy.results.values_list("pk", flat=True))
        admin_submit(
            admin,
            change_url(strategy),
            text="Stratégie réécrite",
            results=[str(pk) for pk in {*others, codes.result(2, plan_2018_2023).pk}],
        )
        assert (
            codes.result(2, plan_2018_2023) in codes.strategy("1.1", plan_2018_2023).results.all()
        )

    @write("link removed (m2m)")
    def _():
        codes.strategy("1.1", plan_2018_2023).results.remove(codes.result(2, plan_2018_2023))

    @write("admin: dimension change (every plan)")
    def _():
        dimension = Dimension.objects.filter(indicators__isnull=False).first()
        admin_submit(admin, change_url(dimension), name=dimension.name + " (modifiée)")

    @write("admin: plan add and delete", bumps=False)
    def _():
        other = factories.plan(title="Plan éphémère", start_year=2040, end_year=2045)
        admin_delete(admin, StrategicPlan, other.pk)

    # Bulk writes: the demo data, loaddata, restore.
    @write("generate_demo_data")
    def _():
        call_command(
            "generate_demo_data", indicators=3, periods=2, categories=2, seed=1, verbosity=0
        )

    @write("loaddata (raw saves)", shows="Libellé chargé par loaddata")
    def _():
        row = json.loads(serializers.serialize("json", [count]))
        row[0]["fields"]["wording"] = "Libellé chargé par loaddata"
        fixture = tmp_path / "changement.json"
        fixture.write_text(json.dumps(row), encoding="utf-8")
        call_command("loaddata", str(fixture), verbosity=0)

    backup = tmp_path / "sauvegarde.json.gz"
    call_command("backup", output=str(backup))
    with gzip.open(backup, "rt", encoding="utf-8") as handle:
        assert "Libellé chargé par loaddata" in handle.read()

    @write("admin: a change after the backup", shows="Indicateur après la sauvegarde")
    def _():
        # Cached too; then the backup's older state comes back: its data version must not
        # reuse a version already cached.
        admin_submit(admin, change_url(count), wording="Indicateur après la sauvegarde")

    @write("restore", shows="Libellé chargé par loaddata")
    def _():
        empty_database()
        call_command("restore", str(backup), verbosity=0)
        board.force_login(board_user)  # the sessions are not in a backup

    assert len(checked) == 22


def test_the_readers_permissions_key_the_cached_page(
    page_cache, plan_2018_2023, board_user, client
):
    """A reader without the meetings permission never gets a page cached for one with it."""
    client.force_login(board_user)
    assert "Rencontres du conseil" in main_part(client.get(DASHBOARD))
    board_user.user_permissions.remove(*Permission.objects.filter(codename="view_meeting"))
    board_user.groups.first().permissions.remove(
        *Permission.objects.filter(codename="view_meeting")
    )
    client.force_login(board_user)
    assert "Rencontres du conseil" not in main_part(client.get(DASHBOARD))


def served_from_cache(response):
    names = [template.name for template in response.templates]
    return "board/cached_page.html" in names and "board/dashboard.html" not in names


@pytest.mark.parametrize(
    ("url", "reads"),
    [
        (DASHBOARD, {"periode": "first", "statut": "late"}),
        (reverse("board:since_last_meeting"), {"date": "2020-01-15"}),
        (reverse("board:board_report"), {"periode": "first"}),
    ],
)
def test_junk_parameters_share_one_cached_page_those_read_make_their_own(
    page_cache, board_client, plan_2018_2023, url, reads
):
    """Keyed on the parameters a page reads, a page is rendered once whatever junk (a
    tracker's utm_source…) its URL carries."""
    reads = {
        name: codes.period("2018-2019").pk if value == "first" else value
        for name, value in reads.items()
    }
    first = board_client.get(url, {"utm_source": "courriel"})
    assert not served_from_cache(first)
    again = board_client.get(url, {"utm_source": "infolettre", "x": "1"})
    assert served_from_cache(again)
    assert main_part(again) == main_part(first)
    for name, value in reads.items():
        own = board_client.get(url, {name: value, "utm_source": "courriel"})
        assert not served_from_cache(own), name
        assert served_from_cache(board_client.get(url, {name: value, "junk": "2"})), name
