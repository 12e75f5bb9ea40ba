"""Photos chosen on the public complaint form survive a validation error (issue 26): a browser never re-sends a
chosen file, so on an invalid post the photos, checked and stripped of their metadata, wait in a draft folder named
by a random token. The page carries the token in a hidden field and this browser's session holds it too (a token
from elsewhere reattaches nothing); the next post files them with the complaint, and the folder is then removed.
Drafts nobody came back for are removed after a day, whenever another draft is kept."""

from __future__ import annotations

import json
import re
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from complaints import services

DRAFTS = "complaint-drafts"
SESSION_KEY = "complaint_kept_photos"
FIELD = "kept_photos"
MAX_AGE_SECONDS = 24 * 3600
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32}$")


def _manifest(token: str) -> str:
    return f"{DRAFTS}/{token}/photos.json"


def token_from(request) -> str:
    """The kept photos' token this post names, if this browser's session kept it; else ""."""
    token = request.POST.get(FIELD, "")
    if TOKEN_RE.match(token) and token in request.session.get(SESSION_KEY, []):
        return token
    return ""


def keep(request, photos) -> str:
    """Check and store ``photos`` (services.check_photos: its ValidationError when one is not acceptable); the
    draft's token."""
    checked = services.check_photos(photos)
    token = secrets.token_urlsafe(24)
    rows = []
    for index, upload in enumerate(checked):
        upload.content.seek(0)
        path = default_storage.save(f"{DRAFTS}/{token}/{index}.{upload.kind}", ContentFile(upload.content.read()))
        rows.append({"path": path, "name": upload.original_name, "content_type": upload.content_type})
    manifest = {"at": timezone.now().timestamp(), "photos": rows}
    default_storage.save(_manifest(token), ContentFile(json.dumps(manifest).encode()))
    request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, [])[-4:], token]
    _sweep(keep_token=token)
    return token


def _read(token: str) -> dict:
    if not token or not default_storage.exists(_manifest(token)):
        return {"at": 0, "photos": []}
    with default_storage.open(_manifest(token)) as manifest:
        return json.loads(manifest.read())


def _rows(token: str) -> list[dict]:
    return _read(token)["photos"]


def names(token: str) -> list[str]:
    return [row["name"] for row in _rows(token)]


def load(token: str) -> list[SimpleUploadedFile]:
    """The kept photos as uploads, to be filed like freshly chosen ones."""
    files = []
    for row in _rows(token):
        with default_storage.open(row["path"]) as stored:
            files.append(SimpleUploadedFile(row["name"] or "photo", stored.read(), row["content_type"]))
    return files


def discard(request, token: str) -> None:
    if not token:
        return
    for row in _rows(token):
        default_storage.delete(row["path"])
    default_storage.delete(_manifest(token))
    request.session[SESSION_KEY] = [t for t in request.session.get(SESSION_KEY, []) if t != token]


def _sweep(keep_token: str) -> None:
    """Remove drafts older than a day."""
    try:
        folders, _ = default_storage.listdir(DRAFTS)
    except FileNotFoundError:
        return
    now = timezone.now().timestamp()
    for token in folders:
        if token == keep_token or not TOKEN_RE.match(token):
            continue
        draft = _read(token)
        if now - draft["at"] > MAX_AGE_SECONDS:
            for row in draft["photos"]:
                default_storage.delete(row["path"])
            default_storage.delete(_manifest(token))
