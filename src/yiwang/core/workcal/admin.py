"""Django admin for the calendar. Saves and deletes go through the services, so every change is
permission-checked (`workcal.calendar.manage`) and audited like any other."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from yiwang.core.errors import InvalidInput
from yiwang.core.workcal import services
from yiwang.core.workcal.models import CalendarDay, CalendarYear
from yiwang.core.workcal.permissions import can_calendar_manage
from yiwang.core.workcal.validation import clean_day, clean_note, clean_year_open


def _add_errors(form: forms.ModelForm, error: InvalidInput) -> None:
    for field, reason in error.fields.items():
        form.add_error(field if field in form.fields else None, reason)


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name"]

    def clean(self):
        data = super().clean()
        day = data.get("date", self.instance.date)
        if day and "kind" in data:
            try:
                clean_day(day=day, kind=data["kind"], name=data.get("name", ""))
            except InvalidInput as error:
                _add_errors(self, error)
        return data


class CalendarYearForm(forms.ModelForm):
    class Meta:
        model = CalendarYear
        fields = ["year", "note"]

    def clean(self):
        data = super().clean()
        try:
            if self.instance._state.adding and data.get("year") is not None:
                clean_year_open(data["year"])
            clean_note(data.get("note"))
        except InvalidInput as error:
            _add_errors(self, error)
        return data


class _ManagedAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return can_calendar_manage(request.user)

    def has_change_permission(self, request, obj=None):
        return can_calendar_manage(request.user)

    def has_delete_permission(self, request, obj=None):
        return can_calendar_manage(request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(CalendarDay)
class CalendarDayAdmin(_ManagedAdmin):
    form = CalendarDayForm
    list_display = ("date", "kind", "name")
    list_filter = ("kind",)
    search_fields = ("name",)
    date_hierarchy = "date"

    def get_readonly_fields(self, request, obj=None):
        # Moving an exception to another date is "clear one, set another": two audited acts.
        return ("date",) if obj else ()

    def save_model(self, request, obj, form, change):
        entry = services.calendar_day_set(actor=request.user, date=obj.date, kind=obj.kind, name=obj.name)
        obj.pk = entry.pk
        obj._state.adding = False

    def delete_model(self, request, obj):
        services.calendar_day_clear(actor=request.user, date=obj.date)


@admin.register(CalendarYear)
class CalendarYearAdmin(_ManagedAdmin):
    form = CalendarYearForm
    list_display = ("year", "source", "note")

    def get_readonly_fields(self, request, obj=None):
        return ("year", "source") if obj else ()

    def save_model(self, request, obj, form, change):
        if change:
            services.calendar_year_update(actor=request.user, year=obj.year, note=obj.note)
        else:
            services.calendar_year_open(actor=request.user, year=obj.year, note=obj.note)
        obj._state.adding = False

    def delete_model(self, request, obj):
        services.calendar_year_close(actor=request.user, year=obj.year)
