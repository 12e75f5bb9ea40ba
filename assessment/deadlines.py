"""When a month is due: pure date arithmetic on the settings (no database, no writes).

Month M is due on ``JINGPIN["SUBMISSION_DEADLINE_DAY"]`` (the 20th) of month M, 23:59:59 in ``TIME_ZONE``; a county's
granted extension (``DeadlineException``) is applied by ``assessment.services.effective_deadline``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from assessment.scoring import PaperOriginals, deadline_for, paper_originals


def deadline(year: int, month: int) -> dt.datetime:
    """The regular deadline of month M: the 20th (setting) of month M, 23:59:59 Asia/Shanghai."""
    return deadline_for(year, month, settings.JINGPIN["SUBMISSION_DEADLINE_DAY"], settings.TIME_ZONE)


def deadline_passed(year: int, month: int, as_of: dt.datetime | None = None) -> bool:
    """Month M's regular deadline lies before ``as_of`` (default: now)."""
    return (as_of or timezone.now()) > deadline(year, month)


def paper_originals_of(submission, today: dt.date | None = None) -> PaperOriginals:
    """Month M's paper originals against the ``PAPER_ORIGINALS_DAY`` (the 28th) of month M (seed 002 附件1 四)."""
    return paper_originals(
        submission.year,
        submission.month,
        submission.paper_received_on,
        today or timezone.localdate(),
        settings.JINGPIN["PAPER_ORIGINALS_DAY"],
    )
