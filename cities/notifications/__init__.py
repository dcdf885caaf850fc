"""The one way the portal tells people something: in-app notifications and e-mail.

``services`` renders (text and HTML on one base template, in the recipient's language) and
writes the notification and the outbox row in the caller's transaction; ``outbox`` claims and
sends rows exactly once per claim; ``tasks`` are the thin Celery wrappers; ``views`` the list
under the bell. Both apps call ``services``; nothing else in the portal sends e-mail.
See docs/notifications.md.
"""
