import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from indicators.notifications.mail import mail_is_configured
from indicators.notifications.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "E-mail the people responsible for indicators the values they still have to record: "
        "before the due date, on it, then weekly while late. Each reminder is sent once; "
        "safe to run every hour (cron or systemd timer)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            help="Act as if today were this date (YYYY-MM-DD); default: today.",
        )

    def handle(self, *args, date=None, **options):
        if not mail_is_configured():
            raise CommandError("Le courriel n'est pas configuré (EMAIL_URL) : aucun rappel envoyé.")
        today = date or timezone.localdate()
        report = reminders_send(today=today)
        self.stdout.write(
            f"Rappels du {today.isoformat()} : {report.delivered} envoyé(s), "
            f"{report.failed} en échec (réessayés à la prochaine exécution), "
            f"{report.skipped} déjà envoyé(s)."
            + (f" {report.queued} confié(s) au processus de travail." if report.queued else "")
        )
        if report.failed:
            self.stderr.write(
                f"{report.failed} rappel(s) non remis : voir « Courriels envoyés » dans "
                "l'administration."
            )
