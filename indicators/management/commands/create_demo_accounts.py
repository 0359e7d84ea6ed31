import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

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
            self.stdout.write("Base de données externe : aucun compte de démonstration créé.")
            return
        User = get_user_model()
        if User.objects.exists():
            return
        accounts = [
            ("admin", "Administration", None),
            ("personnel", "Personnel", STAFF_GROUP),
            ("conseil", "Conseil d'administration", BOARD_GROUP),
        ]
        self.stdout.write(
            self.style.WARNING("Comptes de démonstration (mots de passe affichés une seule fois) :")
        )
        for username, label, group_name in accounts:
            password = secrets.token_urlsafe(12)
            if group_name is None:
                User.objects.create_superuser(username, password=password)
            else:
                user = User.objects.create_user(username, password=password)
                user.groups.add(Group.objects.get(name=group_name))
            self.stdout.write(
                f"  {label:<26} identifiant : {username:<10} mot de passe : {password}"
            )
