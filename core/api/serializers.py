"""Shapes shared by every app's API documentation."""

from rest_framework import serializers


class ErrorDetailSerializer(serializers.Serializer):
    """A refusal as JSON: ``{"detail": "中文说明"}`` (403 and the like; core.api.exceptions)."""

    detail = serializers.CharField()
