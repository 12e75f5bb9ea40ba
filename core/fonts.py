"""Are the CJK fonts the PDFs need installed? (``/healthz`` fails without them.)

Every PDF template (reports, evaluation reports, the 永久性标志牌, the paper forms) sets
``font-family: "Noto Sans CJK SC"``; without it WeasyPrint falls back to a font without Chinese glyphs and prints
empty boxes — silently. The check asks fontconfig, through WeasyPrint's own binding (what the PDFs will get), which
family it would use for that name. The Docker image installs it with the ``fonts-noto-cjk`` package.

The answer is kept for the life of the process (fonts do not appear or disappear under a running server), so
``/healthz`` stays cheap.
"""

from __future__ import annotations

import logging
from functools import lru_cache

log = logging.getLogger(__name__)

PDF_FONT_FAMILY = "Noto Sans CJK SC"


def matched_family(family: str) -> str:
    """The family fontconfig matches for ``family`` (``""`` when fontconfig cannot be asked)."""
    from weasyprint.text.ffi import ffi, fontconfig  # lazily: pango/fontconfig are loaded only when needed

    config = fontconfig.FcInitLoadConfigAndFonts()
    pattern = fontconfig.FcPatternCreate()
    try:
        fontconfig.FcPatternAddString(pattern, b"family", family.encode())
        fontconfig.FcConfigSubstitute(config, pattern, fontconfig.FcMatchPattern)
        fontconfig.FcDefaultSubstitute(pattern)
        result = ffi.new("FcResult *")
        match = fontconfig.FcFontMatch(config, pattern, result)
        if match == ffi.NULL:
            return ""
        try:
            value = ffi.new("FcChar8 **")
            if fontconfig.FcPatternGetString(match, b"family", 0, value) != fontconfig.FcResultMatch:
                return ""
            return ffi.string(value[0]).decode("utf-8", "replace")
        finally:
            fontconfig.FcPatternDestroy(match)
    finally:
        fontconfig.FcPatternDestroy(pattern)
        fontconfig.FcConfigDestroy(config)


@lru_cache(maxsize=1)
def pdf_font_check() -> dict:
    """``{"status": "ok", "family": …}`` or ``{"status": "error", "error": …}`` (cached per process)."""
    try:
        found = matched_family(PDF_FONT_FAMILY)
    except Exception as exc:  # noqa: BLE001 - no fontconfig/pango at all: the PDFs cannot be built either
        log.error("CJK font check failed: %s", exc)
        return {"status": "error", "error": f"无法查询字体（fontconfig）：{str(exc)[:150]}"}
    if found.casefold() != PDF_FONT_FAMILY.casefold():
        log.error("CJK font %r missing (fontconfig falls back to %r)", PDF_FONT_FAMILY, found)
        return {
            "status": "error",
            "error": f"PDF 所需中文字体“{PDF_FONT_FAMILY}”未安装（当前替代为“{found or '无'}”），请安装 fonts-noto-cjk。",
        }
    return {"status": "ok", "family": found}
