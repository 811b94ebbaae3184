"""Telling people: notifications in the product and by email, reminders that chase, and the
chasing page.

The top layer: it listens to the other apps' events (plans.signals, reports.signals) and reads
their selectors to find what is due or late; nothing imports it. Every notification is a row
(models.Notification: who, what, why, when); email carries them (models.Email: one message or a
day's digest, with its attempts), so nothing is lost when the mail server is down.

- services.py: notify(), reading and preferences — the writes every route calls.
- reminders.py: what is due or late today, the reminder stages and escalation, the daily job.
- delivery.py: building and sending the emails, retrying what failed.
- views/inbox.py (with selectors.py and forms.py): a person's own notifications, preferences
  and following, and the email's unsubscribe link; templatetags/notifications.py gives the
  committee page its follow button, since portal may not import this app.
"""
