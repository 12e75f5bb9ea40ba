"""Images for upload tests, built with Pillow: a photo carrying EXIF (GPS, Artist, Copyright, an orientation), a
PNG with text chunks and XMP, plain small pictures, and the decompression bomb of issue 22 (a 109 KB PNG that
declares 30,000 × 30,000 pixels)."""

from __future__ import annotations

import functools
import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

ARTIST = "Zhang San, camera owner"
COPYRIGHT = "(c) Zhang San 13800000000"
GPS = {1: "N", 2: (35.0, 29.0, 30.0), 3: "E", 4: (112.0, 51.0, 10.0)}  # 晋城, to the second
XMP = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description exif:GPSLatitude="35,29.5N"/></x:xmpmeta>'
PNG_TEXT = {"Author": "张三", "Comment": "拍摄于某小区 3 号楼"}


def png_bytes(size=(64, 48), color=(180, 180, 170)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes(size=(64, 48), color=(90, 120, 150)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


def jpeg_with_exif(size=(80, 40), orientation: int = 6) -> bytes:
    """A phone photo: GPS position, the owner's name and copyright, the camera, and an EXIF orientation (6: the
    pixels are stored turned, a viewer rotates them 90° clockwise, so 80×40 is shown 40×80); a JPEG comment too."""
    exif = Image.Exif()
    exif[0x013B] = ARTIST  # Artist
    exif[0x8298] = COPYRIGHT  # Copyright
    exif[0x010F] = "Phone Maker"  # Make
    exif[0x0112] = orientation  # Orientation
    exif.get_ifd(0x8825).update(GPS)  # GPSInfo
    image = Image.new("RGB", size, (200, 40, 40))
    image.paste((40, 40, 200), (0, 0, size[0] // 2, size[1]))  # the left half blue: the rotation is visible
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, comment=b"owner: Zhang San", xmp=XMP.encode())
    return buffer.getvalue()


def png_with_text(size=(30, 20)) -> bytes:
    """A PNG with tEXt chunks, an iTXt XMP packet and an eXIf chunk carrying an Artist."""
    info = PngImagePlugin.PngInfo()
    for key, value in PNG_TEXT.items():
        info.add_itxt(key, value) if not value.isascii() else info.add_text(key, value)
    info.add_text("Software", "Camera App 1.0")
    info.add_itxt("XML:com.adobe.xmp", XMP)
    exif = Image.Exif()
    exif[0x013B] = ARTIST
    buffer = io.BytesIO()
    Image.new("RGBA", size, (10, 200, 10, 128)).save(buffer, "PNG", pnginfo=info, exif=exif)
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


@functools.cache
def png_bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A valid 1-bit black PNG of width × height: about 109 KB on disk, 900 million pixels once decoded."""
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + the row's bits
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit, greyscale
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def assert_clean_image(fileobj, *, kind: str, size: tuple[int, int]) -> None:
    """The stored image: the expected format and (upright) size, no EXIF, no XMP, no text, no comment, no profile."""
    fileobj.seek(0)
    data = fileobj.read()
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == {"jpg": "JPEG", "png": "PNG"}[kind]
        assert image.size == size
        assert not image.getexif()
        assert not getattr(image, "text", {})
        assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile", *PNG_TEXT} & set(image.info)
    for secret in (ARTIST.encode(), b"Zhang San", b"xmpmeta", b"Camera App", "张三".encode()):
        assert secret not in data


def media_files(settings) -> list[str]:
    """Every file under MEDIA_ROOT (tests give each test its own), as paths relative to it."""
    root = settings.MEDIA_ROOT
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()) if root.exists() else []
