"""Delete the prepared exports past EXPORT_KEEP_HOURS (with their files), and mark those whose
worker stopped as failed. Each export's task does the same when it ends; this is for cron."""

from django.core.management.base import BaseCommand

from indicators.exports.building import exports_expire


class Command(BaseCommand):
    help = "Delete expired prepared exports and their files."

    def handle(self, *args, **options):
        deleted = exports_expire()
        self.stdout.write(f"{deleted} expired export(s) deleted.")
