from django.core.management import call_command
from django.core.management.base import BaseCommand

from plan.models import StrategicPlan

FIXTURE = "plan_2018_2023"
PLAN_TITLE = "Plan stratégique 2018-2023"


class Command(BaseCommand):
    help = "Load the 2018-2023 plan unless it is already in the database (keeps admins' edits)."

    def handle(self, *args, **options):
        if StrategicPlan.objects.filter(title=PLAN_TITLE).exists():
            self.stdout.write("Le plan 2018-2023 est déjà chargé.")
            return
        call_command("loaddata", FIXTURE, verbosity=0)
        self.stdout.write(self.style.SUCCESS("Plan 2018-2023 chargé."))
