"""Length limits of the free texts, in characters: one place for the forms, the import and
the database (model validators and CHECK constraints on the length).

| text                                   | limit  |
|----------------------------------------|--------|
| measurement narrative                  | 10 000 |
| measurement explanation (not measured) |  2 000 |
| measurement and target comment         |  2 000 |
| strategy progress note                 |  5 000 |
| reason for a correction                |    100 |

The reason is stored by django-simple-history in `history_change_reason`, a varchar(100):
longer reasons would fail on PostgreSQL (SQLite does not enforce lengths).
"""

from django.core.validators import MaxLengthValidator
from django.db.models import CheckConstraint
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

NARRATIVE_MAX_CHARS = 10_000
EXPLANATION_MAX_CHARS = 2_000
COMMENT_MAX_CHARS = 2_000
NOTE_MAX_CHARS = 5_000
REASON_MAX_CHARS = 100


def length_validators(limit):
    """Validators of a model TextField (Django checks `max_length` only in forms)."""
    return [MaxLengthValidator(limit)]


def length_constraint(field_name, limit, *, name):
    """A CHECK constraint that the database enforces on the length of a text column."""
    return CheckConstraint(condition=LessThanOrEqual(Length(field_name), limit), name=name)
