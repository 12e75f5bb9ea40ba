"""A JSON renderer on orjson: the API's bytes written in C, the same JSON as DRF's renderer.

DRF's ``JSONRenderer`` spends most of a long list's time in ``json.dumps`` with a Python ``default`` hook. orjson
writes the same structures natively; whatever it does not know (lazy translations, datetimes, which DRF's encoder
formats with a ``Z``, querysets, …) goes through DRF's own encoder, so the output matches DRF's.
"""

from __future__ import annotations

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
_encoder = JSONEncoder()


def _default(obj):
    return _encoder.default(obj)


def dumps(data, *, indent: bool = False) -> bytes:
    return orjson.dumps(data, default=_default, option=_OPTIONS | (orjson.OPT_INDENT_2 if indent else 0))


class ORJSONRenderer(JSONRenderer):
    """``application/json`` via orjson (``?format=json`` and ``Accept: application/json``; indent=N → 2 spaces)."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        indent = self.get_indent(accepted_media_type, renderer_context or {})
        return dumps(data, indent=bool(indent))
