"""The validation step of recorded values: validate, return with a comment (services), what
awaits a coordinator (selectors), the bulk page of a period (views, forms).

A plan turns the step on (`StrategicPlan.validation_enabled`); recording/services.py then
records every value « à valider ». May import notifications, spreadsheets, targets,
recording, models, rules and plan; only admin, management, templatetags, urls, apps and the
board build on it.
"""
