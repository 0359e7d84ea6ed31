import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from plan.models import StrategicPlan

DEFAULT_FIXTURE = "plan_2018_2023"


def fixture_path(name):
    """The fixture file called `name` (with or without .json) in FIXTURE_DIRS, or a path."""
    candidates = [Path(name)] + [
        Path(directory) / f"{name.removesuffix('.json')}.json"
        for directory in settings.FIXTURE_DIRS
    ]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise CommandError(_("No fixture named “%(name)s” was found.") % {"name": name})


def plan_titles(path):
    """The titles of the plans a fixture holds."""
    objects = json.loads(path.read_text(encoding="utf-8"))
    return [o["fields"]["title"] for o in objects if o.get("model") == "plan.strategicplan"]


class Command(BaseCommand):
    help = "Load a plan from a fixture unless it is already in the database (keeps admins’ edits)."

    def add_arguments(self, parser):
        parser.add_argument(
            "fixture",
            nargs="?",
            default=DEFAULT_FIXTURE,
            help="Fixture name in fixtures/ or path (default: the 2018-2023 plan).",
        )

    def handle(self, *args, fixture, **options):
        path = fixture_path(fixture)
        titles = plan_titles(path)
        if not titles:
            raise CommandError(_("The fixture “%(name)s” holds no plan.") % {"name": fixture})
        loaded = StrategicPlan.objects.filter(title__in=titles).values_list("title", flat=True)
        if loaded:
            self.stdout.write(_("Already loaded: %(titles)s.") % {"titles": ", ".join(loaded)})
            return
        call_command("loaddata", str(path), verbosity=0)
        self.stdout.write(
            self.style.SUCCESS(_("Loaded: %(titles)s.") % {"titles": ", ".join(titles)})
        )
