from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from indicators.board import services
from indicators.board.models import Meeting, MeetingPack, MeetingPackRemoval


class MeetingAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        problem = cleaned.get("plan") and services.closed_plan_problem(cleaned["plan"])
        if problem:
            raise ValidationError(problem)
        return cleaned


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    form = MeetingAdminForm
    list_display = ["date", "title", "plan", "period", "presented"]
    list_filter = ["plan"]
    search_fields = ["title", "notes"]
    fields = ["plan", "date", "title", "period", "notes"]
    list_select_related = ["plan", "period", "pack"]

    @admin.display(boolean=True, description=_("presented"))
    def presented(self, meeting):
        return meeting.is_presented

    # A closed plan's meetings are read-only here too (services.closed_plan_problem).
    def has_change_permission(self, request, obj=None):
        closed = obj is not None and obj.plan.is_closed
        return super().has_change_permission(request, obj) and not closed

    def has_delete_permission(self, request, obj=None):
        closed = obj is not None and obj.plan.is_closed
        return super().has_delete_permission(request, obj) and not closed

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {
            "date": data["date"],
            "title": data["title"],
            "period": data["period"],
            "notes": data.get("notes", ""),
            "user": request.user,
        }
        if change:
            services.meeting_update(meeting=obj, **fields)
        else:
            saved = services.meeting_create(plan=data["plan"], **fields)
            obj.pk = saved.pk


class ReadOnlyAdmin(admin.ModelAdmin):
    """Packs and their removals are records: nobody edits them here (see the pack page)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MeetingPack)
class MeetingPackAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "frozen_at", "frozen_by", "page"]
    fields = ["meeting", "frozen_at", "frozen_by", "page"]
    readonly_fields = fields
    list_select_related = ["meeting", "frozen_by"]

    @admin.display(description=_("pack page"))
    def page(self, pack):
        return format_html('<a href="{}">{}</a>', pack.get_absolute_url(), _("Open the pack"))


@admin.register(MeetingPackRemoval)
class MeetingPackRemovalAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "pack_frozen_at", "removed_at", "removed_by", "reason"]
    fields = list_display
    readonly_fields = list_display
    list_select_related = ["meeting", "removed_by"]
