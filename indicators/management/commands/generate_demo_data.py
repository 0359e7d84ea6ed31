"""Build a demonstration plan of any size, to show the dashboard and to measure its speed.

    python manage.py generate_demo_data --indicators 200 --periods 20 --categories 17 \
        --seed 1 --current

Running it again replaces the previous "Plan de démonstration" (and only that plan), with its
values and its board meetings; it refuses, saying what to do, when other data depends on it.
The plan is built by indicators.lifecycle.demo.
"""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import formats
from django.utils.translation import gettext as _

from indicators.lifecycle.demo import DemoSize, demo_plan_build


class Command(BaseCommand):
    help = (
        "Build the plan “Plan de démonstration” with N indicators over 5 orientations, P periods "
        "with targets and values, C categories for counts by category, and strategy states. "
        "Replaces a previous demonstration plan."
    )

    def add_arguments(self, parser):
        parser.add_argument("--indicators", type=int, default=30, help="Number of indicators.")
        parser.add_argument("--periods", type=int, default=5, help="Number of yearly periods.")
        parser.add_argument(
            "--categories", type=int, default=5, help="Categories of the counts by category."
        )
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random values.")
        parser.add_argument(
            "--current", action="store_true", help="Make the demonstration plan the current one."
        )

    def handle(self, *args, indicators, periods, categories, seed, current, **options):
        if indicators < 1 or periods < 1 or categories < 1:
            raise CommandError(_("--indicators, --periods and --categories must be at least 1."))
        size = DemoSize(indicators=indicators, periods=periods, categories=categories)
        started = time.perf_counter()
        try:
            built = demo_plan_build(size=size, seed=seed, current=current)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if built.replaced:
            self.stdout.write(_("The previous demonstration plan was replaced."))
        seconds = formats.number_format(time.perf_counter() - started, decimal_pos=1)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "“%(plan)s”: %(indicators)s indicators, %(periods)s periods, "
                    "%(categories)s categories in %(seconds)s s."
                )
                % {
                    "plan": built.plan.title,
                    "indicators": indicators,
                    "periods": periods,
                    "categories": categories,
                    "seconds": seconds,
                }
            )
        )
        if built.plan.is_current:
            self.stdout.write(_("The demonstration plan is the current plan."))
