"""The forms of the inbox: a moderator's handling of one enquiry, a note, and the lookup of
a data subject's request."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from kis_forms.inbox.listing import with_listing_data
from kis_forms.models import EnquirySubmission
from kis_forms.permissions import enquiry_policy, handlers_of
from kis_pages.phones import normalize_phone


class HandlingForm(forms.ModelForm):
    """A moderator's controls on one enquiry: its status and who handles it."""

    class Meta:
        model = EnquirySubmission
        fields = ["status", "assignee"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = handlers_of([self.instance])
        self.fields["assignee"].empty_label = _("nobody yet")


class NoteForm(forms.Form):
    """A private note, added to the enquiry for good."""

    text = forms.CharField(
        label=_("New note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Only moderators of this club see notes. A note cannot be changed or removed later."
        ),
    )


class LookupForm(forms.Form):
    """The resident's e-mail address or phone number, whichever they gave."""

    q = forms.CharField(
        label=_("E-mail address or phone number"),
        max_length=254,
        help_text=_(
            "The resident's e-mail address (capital letters do not matter) or Polish phone "
            "number, typed any way, e.g. 600 100 200 or +48 600-100-200. Finds the enquiries of "
            "your clubs sent with exactly this address or number. Each enquiry found records in "
            "its history that you searched for it."
        ),
    )

    def clean_q(self):
        value = self.cleaned_data["q"].strip()
        if "@" in value:
            validate_email(value)
            return value
        try:
            return normalize_phone(value)
        except ValidationError:
            raise ValidationError(
                _("Enter an e-mail address or a Polish phone number of nine digits."),
                code="invalid_contact",
            ) from None

    @property
    def searched_by(self):
        return "email" if "@" in self.cleaned_data["q"] else "phone"

    def matches(self, user):
        """The enquiries `user` may handle that were sent with this address or number."""
        value = self.cleaned_data["q"]
        if self.searched_by == "email":
            lookup = {"resident_email__iexact": value}
        else:
            lookup = {"resident_phone": value}
        handled = enquiry_policy.instances_user_has_permission_for(user, "handle")
        return with_listing_data(handled.filter(**lookup))
