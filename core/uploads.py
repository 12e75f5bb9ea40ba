"""Upload checks, one rule for every upload (evidence, inspection attachments, complaint photos): the size limit,
the type from the bytes (magic numbers, never the name or the browser) and, for an image, a copy re-encoded
without metadata under a pixel limit (core.images) — the file to store in place of the upload."""

from __future__ import annotations

import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import File

from core import images

ALLOWED = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
EXTENSION_ALIASES = {"jpeg": "jpg"}


def sniff(fileobj) -> str | None:
    """The real type of an uploaded file ("pdf", "jpg", "png", "xlsx", "docx"), or None."""
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(fileobj) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            fileobj.seek(0)
        if "[Content_Types].xml" in names:
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "word/document.xml" in names:
                return "docx"
    return None


def declared_type(filename: str) -> str:
    ext = Path(filename or "").suffix.lower().lstrip(".")
    return EXTENSION_ALIASES.get(ext, ext)


def human_size(n: int) -> str:
    """A size as people read it: "1.5 MB", "300 KB" (every upload limit and message says sizes so)."""
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB".replace(".0 MB", " MB")
    return f"{max(1, round(n / 1024))} KB"


def kinds_label(kinds: Collection[str] | None = None) -> str:
    """ "PDF、JPG、PNG、XLSX、DOCX": the accepted types as forms and messages name them."""
    return "、".join(kind.upper() for kind in (ALLOWED if kinds is None else kinds))


def help_text(max_bytes: int, kinds: Collection[str] | None = None) -> str:
    """A file field's help: the accepted types and the size limit, from the same values the check uses."""
    return f"{kinds_label(kinds)}，单个不超过{human_size(max_bytes)}"


def check_upload(uploaded, max_bytes: int) -> tuple[str | None, str]:
    """(error message or None, detected type): the size and type checks, without reading an image's pixels."""
    size = getattr(uploaded, "size", 0) or 0
    if size == 0:
        return "文件为空。", ""
    if size > max_bytes:
        return f"文件过大：{human_size(size)}，上限 {human_size(max_bytes)}。", ""
    declared = declared_type(getattr(uploaded, "name", ""))
    if declared not in ALLOWED:
        return f"只能上传 {kinds_label()} 文件。", ""
    detected = sniff(uploaded)
    if detected is None:
        return f"无法识别文件内容，只能上传 {kinds_label()} 文件。", ""
    if detected != declared:
        return f"文件内容（{detected.upper()}）与扩展名（{declared.upper()}）不符。", ""
    return None, detected


@dataclass(frozen=True)
class CheckedUpload:
    """An accepted upload: ``content`` is what to store (an image re-encoded without metadata, other files as
    uploaded), with its type, MIME type, size and the name the user gave it."""

    content: File
    kind: str
    content_type: str
    size: int
    original_name: str


def prepare_upload(
    uploaded, max_bytes: int, kinds: Collection[str] | None = None
) -> tuple[str | None, CheckedUpload | None]:
    """(error message or None, the checked upload): ``check_upload`` (``kinds`` narrows the accepted types), then
    an image is re-encoded without metadata (core.images)."""
    error, kind = check_upload(uploaded, max_bytes)
    if not error and kinds is not None and kind not in kinds:
        error = f"只能上传 {kinds_label(kinds)} 文件。"
    if error:
        return error, None
    original_name = Path(getattr(uploaded, "name", "") or "").name[:200]
    content = uploaded
    if images.is_image(kind):
        try:
            content = images.sanitize_image(uploaded, kind)
        except images.ImageRejected as exc:
            return exc.message, None
    content.name = f"upload.{kind}"
    return None, CheckedUpload(content, kind, ALLOWED[kind], content.size, original_name)
