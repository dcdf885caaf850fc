"""An e-mail backend for tests with a real worker: every message the worker sends is appended
as one JSON line to the file named by ``TEST_MAILBOX_FILE``, so the test process observes each
delivery (locmem would keep it inside the worker process)."""

import json
import os
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class FileMailboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        path = os.environ["TEST_MAILBOX_FILE"]
        with open(path, "a", encoding="utf-8") as mailbox:
            for message in email_messages:
                record = {
                    "to": message.to,
                    "subject": message.subject,
                    "message_id": message.extra_headers.get("Message-ID", ""),
                    "outbox_id": message.extra_headers.get("X-CityDiplomacy-Outbox", ""),
                    "html": any(mime == "text/html" for _c, mime in message.alternatives),
                }
                mailbox.write(json.dumps(record) + "\n")
                mailbox.flush()
                os.fsync(mailbox.fileno())
        return len(email_messages)


def read_mailbox(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
