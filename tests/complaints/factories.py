"""Helpers for the complaints tests: a photo, a complaint filed through the service."""

from __future__ import annotations

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from complaints import services
from tests.projects_factories import ProjectFactory


def photo(name="现场.jpg", fmt="JPEG", size=(64, 48)) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", size, (180, 60, 60)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg" if fmt == "JPEG" else "image/png")


def file_complaint(county=None, project=None, **kwargs):
    project = project or ProjectFactory(county=county)
    defaults = dict(
        category="quality", description="外墙保温层空鼓脱落，存在安全隐患。", name="张三", phone="13912345678"
    )
    defaults.update(kwargs)
    return services.submit_complaint(project=project, **defaults)
