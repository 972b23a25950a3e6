"""Admin forms whose checks need more than one page: siblings and inline rows."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm


class WorkplaceListPageForm(WagtailAdminPageForm):
    """Checks one edition per year per club, and the workplaces' places against the total."""

    def clean(self):
        cleaned_data = super().clean()
        self._check_year_is_free(cleaned_data.get("year"))
        self._check_places_fit(cleaned_data.get("places"))
        return cleaned_data

    def _check_year_is_free(self, year):
        parent = self.parent_page if self.instance._state.adding else self.instance.get_parent()
        if not year or parent is None:
            return
        siblings = type(self.instance).objects.child_of(parent).filter(year=year)
        if siblings.exclude(pk=self.instance.pk).exists():
            self.add_error(
                "year",
                ValidationError(
                    _("This club already has an edition for %(year)s.") % {"year": year}
                ),
            )

    def _check_places_fit(self, places):
        formset = self.formsets.get("workplaces")
        # Validating the formset here is cached, so ClusterForm.is_valid() does not repeat it.
        if not places or formset is None or not formset.is_valid():
            return
        rows = [
            form.cleaned_data
            for form in formset.forms
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]
        total = sum(row.get("places") or 0 for row in rows)
        if total > places:
            self.add_error(
                "places",
                _("The workplaces offer %(count)s places together, more than this edition's total.")
                % {"count": total},
            )


class AccessibilityStatementPageForm(WagtailAdminPageForm):
    """Starts a new statement with what the club already knows: its body and contact worker."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance._state.adding and self.parent_page is not None and not self.is_bound:
            initial = type(self.instance).initial_for(self.parent_page)
            self.initial.update({name: value for name, value in initial.items() if value})
