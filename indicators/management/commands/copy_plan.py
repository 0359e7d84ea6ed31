"""`manage.py copy_plan 2018-2023 --title "…" --start-year 2023 --end-year 2028`."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from indicators.lifecycle.copy import plan_by_years_or_id, plan_copy


class Command(BaseCommand):
    help = (
        "Copy a plan (structure, definitions, scale levels, strategies, values) into a new "
        "draft plan with its own yearly periods; never the recorded values."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="The plan to copy: its years (2018-2023) or its id.")
        parser.add_argument("--title", required=True, help="Title of the new plan.")
        parser.add_argument("--start-year", type=int, required=True)
        parser.add_argument("--end-year", type=int, required=True)
        parser.add_argument(
            "--with-targets",
            action="store_true",
            help="Also copy the targets (the n-th period's target to the n-th new period).",
        )

    def handle(self, *args, source, title, start_year, end_year, with_targets, **options):
        plan = plan_by_years_or_id(source)
        if plan is None:
            raise CommandError(_("No plan “%(plan)s” was found.") % {"plan": source})
        try:
            copy = plan_copy(
                source=plan,
                title=title,
                start_year=start_year,
                end_year=end_year,
                with_targets=with_targets,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Copied “%(source)s” into the draft plan “%(copy)s” (id %(id)s).")
                % {"source": plan.title, "copy": copy.title, "id": copy.pk}
            )
        )
