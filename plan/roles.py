"""Names of the two groups that the data migration `indicators.0002_roles` creates."""

STAFF_GROUP = "Personnel"
BOARD_GROUP = "Conseil d'administration"
