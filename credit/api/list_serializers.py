"""API representation of the 重点监管名单 rows (``credit.lists.watchlist``)."""

from __future__ import annotations

from rest_framework import serializers

from credit.api.serializers import EnterpriseNamesMixin
from credit.list_exports import behaviour_label
from credit.models import CreditStanding


class WatchlistRowSerializer(EnterpriseNamesMixin, serializers.ModelSerializer):
    region = serializers.CharField(source="enterprise.region.name", read_only=True, default="")
    bad_in_force = serializers.IntegerField(read_only=True)
    latest_bad = serializers.SerializerMethodField()

    class Meta:
        model = CreditStanding
        fields = [
            *EnterpriseNamesMixin.FIELDS,
            "region",
            "score",
            "grade",
            "major_in_force",
            "bad_in_force",
            "latest_bad",
            "since",
            "checked_on",
        ]
        read_only_fields = fields

    def get_latest_bad(self, obj) -> dict | None:
        """The latest bad entry in force: behaviour (code and label), date, title, 文号."""
        if not obj.latest_bad_behaviour:
            return None
        return {
            "behaviour": obj.latest_bad_behaviour,
            "behaviour_label": behaviour_label(obj.latest_bad_behaviour),
            "occurred_on": obj.latest_bad_on.isoformat() if obj.latest_bad_on else None,
            "title": obj.latest_bad_title,
            "document_no": obj.latest_bad_document_no,
        }
