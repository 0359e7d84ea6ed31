"""The read-only API (Django REST framework) and the personal tokens that open it (its own
Django app, label `api`).

Owns: the token model and its services (tokens.py), the Bearer authentication, what each
reader may read through the API (scope.py: a token carries exactly its owner's permissions;
without a token, only what the public page publishes), the serializers, the French CSV, the
OpenAPI schema and its pages, and the token pages of the person's account.
May import every other package of `indicators` (board included: the statuses are the
board's) and `plan`; only tiess.urls imports it.
"""
