"""The commands: backup and restore, copy_plan, send_reminders, the demonstration data."""
