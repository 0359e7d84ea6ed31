import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from plan.roles import BOARD_GROUP, STAFF_GROUP

EMBEDDED_DATABASE = settings.BASE_DIR / "db.sqlite3"


def is_embedded_database(database):
    """True only for the project's own SQLite file, the one `make run` creates."""
    return database["ENGINE"] == "django.db.backends.sqlite3" and str(database["NAME"]) == str(
        EMBEDDED_DATABASE
    )


class Command(BaseCommand):
    help = (
        "Create three demo accounts (admin, staff, board) when no user exists, "
        "only on the embedded SQLite database. Passwords are printed once."
    )

    def handle(self, *args, **options):
        if not is_embedded_database(settings.DATABASES["default"]):
            self.stdout.write(_("External database: no demo account created."))
            return
        User = get_user_model()
        if User.objects.exists():
            return
        accounts = [
            ("admin", _("Administration"), None),
            ("personnel", STAFF_GROUP, STAFF_GROUP),
            ("conseil", BOARD_GROUP, BOARD_GROUP),
        ]
        self.stdout.write(self.style.WARNING(_("Demo accounts (passwords shown only once):")))
        for username, label, group_name in accounts:
            password = secrets.token_urlsafe(12)
            if group_name is None:
                User.objects.create_superuser(username, password=password)
            else:
                user = User.objects.create_user(username, password=password)
                user.groups.add(Group.objects.get(name=group_name))
            self.stdout.write(
                "  "
                + _("%(role)s – user name: %(username)s – password: %(password)s")
                % {"role": label, "username": username, "password": password}
            )
