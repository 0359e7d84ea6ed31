"""E-mail and a person's own account: one path for every message (mail), the reminders, the
board digest's sending, the e-mail preferences and password reset pages.

Imports recording (who may record), models and plan (the role names); not lifecycle, nor
anything above.
"""
