"""Uploaded images: re-encoded without metadata, with a pixel-count limit read from the header before decoding.

A photo taken on a phone carries the place it was taken (EXIF GPS), the camera and its owner (Artist, Copyright,
serial numbers), XMP packets and, in a PNG, free text chunks. None of that is evidence; all of it is personal data.
So every image a user uploads is decoded and saved anew from its pixels alone (the EXIF orientation applied first,
so the photo stays upright; an ICC colour profile converted to sRGB, then dropped): only the re-encoded file is
stored, never the original bytes.

A small file can declare a huge image (a 109 KB PNG of 30,000 × 30,000 pixels inflates to 2.7 GB in memory). The
size is read from the header, without decoding, and an image of more than ``UPLOAD_MAX_IMAGE_PIXELS`` pixels is
refused before any pixel is decoded; Pillow's own limit (``PIL.Image.MAX_IMAGE_PIXELS``, set to the same value
when the app starts) stays as a second guard.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image, ImageCms, ImageOps, JpegImagePlugin, PngImagePlugin

JPEG_QUALITY = 85

# The image kinds an upload may be (the sniffed type, see core.uploads) → the Pillow format and its header reader.
FORMATS = {"jpg": "JPEG", "png": "PNG"}
_HEADER_READERS = {"jpg": JpegImagePlugin.JpegImageFile, "png": PngImagePlugin.PngImageFile}
# The only decoder information kept: which colour of a PNG is transparent (pixels, not metadata).
_KEPT_INFO = ("transparency",)
CORRUPT_MESSAGE = "图片文件已损坏或不完整，无法读取，请重新上传。"


class ImageRejected(ValueError):
    """An uploaded image that is refused; ``message`` says why, in Chinese, for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def max_pixels() -> int:
    return int(settings.UPLOAD_MAX_IMAGE_PIXELS)


def install_limit() -> None:
    """Pillow's own decompression-bomb limit, set to the product's (called once when the app starts)."""
    Image.MAX_IMAGE_PIXELS = max_pixels()


def is_image(kind: str) -> bool:
    return kind in FORMATS


def _too_large(width: int, height: int) -> ImageRejected:
    return ImageRejected(
        f"图片尺寸过大（{width}×{height} 像素，上限 {max_pixels() / 1_000_000:g} 百万像素），请压缩后重新上传。"
    )


def header_size(fileobj, kind: str) -> tuple[int, int]:
    """(width, height) as the header declares it, read without decoding any pixel."""
    fileobj.seek(0)
    try:
        header = _HEADER_READERS[kind](fileobj)
    except Exception as exc:  # noqa: BLE001 - whatever a broken header raises, the user gets the same message
        raise ImageRejected(CORRUPT_MESSAGE) from exc
    finally:
        fileobj.seek(0)
    return header.size


def check_pixels(fileobj, kind: str) -> tuple[int, int]:
    """The header's size, or ImageRejected when the image has more pixels than the limit."""
    width, height = header_size(fileobj, kind)
    if width <= 0 or height <= 0:
        raise ImageRejected(CORRUPT_MESSAGE)
    if width * height > max_pixels():
        raise _too_large(width, height)
    return width, height


def _to_srgb(image: Image.Image, icc: bytes) -> Image.Image:
    """The pixels converted from their embedded colour profile to sRGB (so dropping the profile keeps the colours)."""
    if image.mode not in ("RGB", "RGBA", "L", "LA", "CMYK"):
        return image
    output_mode = "RGBA" if image.mode in ("RGBA", "LA") else "RGB"
    if image.mode == "LA":
        image = image.convert("RGBA")
    try:
        return ImageCms.profileToProfile(image, io.BytesIO(icc), ImageCms.createProfile("sRGB"), outputMode=output_mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image  # an unreadable profile: the pixels as they are


def _decode(fileobj, kind: str) -> Image.Image:
    """The decoded, upright image with only its pixels (and a PNG's transparent colour)."""
    fileobj.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(fileobj, formats=[FORMATS[kind]]) as source:
                source.load()
                icc = source.info.get("icc_profile")
                image = ImageOps.exif_transpose(source)  # a copy, upright
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRejected("图片尺寸过大，请压缩后重新上传。") from exc
    except Exception as exc:  # noqa: BLE001 - truncated data, a broken EXIF block …: the same clear message
        raise ImageRejected(CORRUPT_MESSAGE) from exc
    finally:
        fileobj.seek(0)
    if icc:
        image = _to_srgb(image, icc)
    image.info = {key: image.info[key] for key in _KEPT_INFO if key in image.info}
    return image


def _encode(image: Image.Image, kind: str) -> bytes:
    buffer = io.BytesIO()
    if kind == "jpg":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        image.save(buffer, "PNG", optimize=False)
    return buffer.getvalue()


def reencode(fileobj, kind: str) -> bytes:
    """The image's pixels, upright, re-encoded in its own format without any metadata (ImageRejected if refused)."""
    check_pixels(fileobj, kind)
    return _encode(_decode(fileobj, kind), kind)


def sanitize_image(uploaded, kind: str) -> ContentFile:
    """The file to store in place of an uploaded image: re-encoded without metadata, named ``<stem>.<kind>``.

    ``kind`` is the type sniffed from the bytes ("jpg" or "png"). Raises ImageRejected (a Chinese message) for an
    image above the pixel limit or one that cannot be decoded. The upload itself is only read.
    """
    data = reencode(uploaded, kind)
    stem = Path(getattr(uploaded, "name", "") or "image").stem or "image"
    return ContentFile(data, name=f"{stem}.{kind}")


def has_metadata(fileobj, kind: str) -> bool:
    """Whether a stored image still carries anything beyond its pixels (EXIF, XMP, text, a profile, a comment)."""
    fileobj.seek(0)
    try:
        with Image.open(fileobj, formats=[FORMATS[kind]]) as image:
            if image.getexif():
                return True
            extra = set(image.info) - set(_KEPT_INFO)
            if kind == "jpg":
                # Written by every JPEG encoder itself (no personal data): the JFIF header's version and density.
                extra -= {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi", "adobe", "adobe_transform"}
            return bool(extra)
    finally:
        fileobj.seek(0)


# --- images stored before uploads were re-encoded ----------------------------------------------------------------
# The records of uploaded files: (app label, model); each has ``file``, ``content_type`` and ``size``.
STORED_IMAGE_MODELS = (("complaints", "ComplaintPhoto"), ("inspections", "Attachment"), ("assessment", "Evidence"))
CONTENT_TYPES = {"image/jpeg": "jpg", "image/png": "png"}


def strip_stored(record, *, dry_run: bool = False) -> str:
    """Re-encode one stored image in place without its metadata; the outcome: "cleaned", "clean" (nothing to
    strip: it is left untouched, so running again changes nothing), "missing" (no file) or "refused" (above the
    pixel limit or unreadable: left as it is, for a person to look at)."""
    kind = CONTENT_TYPES.get(record.content_type)
    if kind is None:
        return "skipped"
    storage, name = record.file.storage, record.file.name
    try:
        with storage.open(name, "rb") as handle:
            original = io.BytesIO(handle.read())
    except (FileNotFoundError, OSError):
        return "missing"
    try:
        check_pixels(original, kind)  # before Pillow opens it fully
        if not has_metadata(original, kind):
            return "clean"
        data = reencode(original, kind)
    except Exception:  # noqa: BLE001 - above the limit or unreadable: left for a person to look at
        return "refused"
    if dry_run:
        return "cleaned"
    storage.delete(name)
    saved = storage.save(name, ContentFile(data))  # the same name (freed just before); the original is gone
    record.file.name = saved
    record.size = len(data)
    type(record).objects.filter(pk=record.pk).update(file=saved, size=len(data))
    return "cleaned"
