"""Notifications: in-app, e-mail and webhooks; reminders and the daily digest."""
