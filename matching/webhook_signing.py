"""Webhook secrets and signatures as the Standard Webhooks specification defines them.

The secret is `whsec_` and the base64 of 32 random bytes; each attempt carries `webhook-id` (stable for an
event and an endpoint, so receivers de-duplicate), `webhook-timestamp` (seconds, the attempt's time) and
`webhook-signature`: `v1,` and the base64 of HMAC-SHA256(key, "{id}.{timestamp}.{body}"). The signing is
the specification's own library (`standardwebhooks`), so receivers verifying with it, or with any other
implementation of the specification, agree with us.
"""

from __future__ import annotations

import base64
import secrets
from datetime import UTC, datetime

from standardwebhooks.webhooks import Webhook

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32  # the specification asks for 24 to 64


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def signed_headers(secret: str, *, message_id: str, body: str, at: datetime) -> dict[str, str]:
    """The three headers of one attempt."""
    at = at.astimezone(UTC)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(msg_id=message_id, timestamp=at, data=body),
    }
