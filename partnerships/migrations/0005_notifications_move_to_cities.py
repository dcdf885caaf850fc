"""The notifications and the e-mail outbox move to ``cities.notifications`` (one way out for
every e-mail, below both apps): copy the rows into the new tables, keeping their ids, then drop
the old tables."""

from django.db import migrations

NOTIFICATION_COLUMNS = ["id", "user_id", "kind", "title", "url", "created_at", "read_at"]
OUTBOX_COLUMNS = [
    "id",
    "notification_id",
    "kind",
    "to_email",
    "subject",
    "body_text",
    "body_html",
    "message_id",
    "dedupe_key",
    "status",
    "attempts",
    "claim_token",
    "claimed_at",
    "lease_until",
    "next_attempt_at",
    "sent_at",
    "last_error",
    "created_at",
]


def copy_rows(apps, schema_editor):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    moves = [
        ("partnerships_notification", "cities_notification", NOTIFICATION_COLUMNS),
        ("partnerships_outboxemail", "cities_outboxemail", OUTBOX_COLUMNS),
    ]
    with connection.cursor() as cursor:
        for old, new, columns in moves:
            names = ", ".join(quote(c) for c in columns)
            cursor.execute(
                f"INSERT INTO {quote(new)} ({names}) SELECT {names} FROM {quote(old)}"  # noqa: S608
            )
    # Ids were copied as they were: move the new tables' sequences past them.
    models = [apps.get_model("cities", "Notification"), apps.get_model("cities", "OutboxEmail")]
    from django.core.management.color import no_style

    for statement in connection.ops.sequence_reset_sql(no_style(), models):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("cities", "0008_notifications_and_invitation_language"),
        ("partnerships", "0004_programmes"),
    ]

    operations = [
        migrations.RunPython(copy_rows, migrations.RunPython.noop),
        migrations.RemoveField(model_name="outboxemail", name="notification"),
        migrations.DeleteModel(name="Notification"),
        migrations.DeleteModel(name="OutboxEmail"),
    ]
