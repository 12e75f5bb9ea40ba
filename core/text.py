"""Chinese message text: several messages read as one sentence list, each ending punctuation said once."""

from __future__ import annotations

from collections.abc import Iterable

END_PUNCTUATION = "。；;.，,"


def join_messages(messages: Iterable[str], sep: str = "；") -> str:
    """``["A。", "B。"]`` → ``"A；B。"``: no doubled "。；", one full stop at the end (none for no messages)."""
    parts = [str(m).strip().rstrip(END_PUNCTUATION) for m in messages]
    parts = [p for p in parts if p]
    return sep.join(parts) + "。" if parts else ""
