"""The credit record in the Django admin: read-only. Entries are made by their events, scores by the services,
rule versions and appeal decisions through the app's pages (which check and keep the audit)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from credit.models import CreditAppeal, CreditEntry, CreditRule, CreditScore, CreditStanding


@admin.register(CreditRule)
class CreditRuleAdmin(ReadOnlyAdmin):
    list_display = ("version", "effective_from", "created_by", "created_at")


@admin.register(CreditEntry)
class CreditEntryAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "behaviour", "occurred_on", "valid_until", "points", "document_no", "withdrawn_on")
    list_filter = ("polarity", "behaviour")
    search_fields = ("enterprise__name", "enterprise__credit_code", "document_no", "title")
    list_select_related = ("enterprise",)


@admin.register(CreditAppeal)
class CreditAppealAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "entry", "status", "submitted_at", "decided_at")
    list_filter = ("status",)
    list_select_related = ("enterprise", "entry")


@admin.register(CreditScore)
class CreditScoreAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "as_of", "score", "grade", "rule")
    list_select_related = ("enterprise", "rule")


@admin.register(CreditStanding)
class CreditStandingAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "score", "grade", "major_in_force", "since")
    list_filter = ("grade", "major_in_force")
    list_select_related = ("enterprise",)
