"""The resident's enquiry form (built from the editor's fields) and the editor's admin form."""

import re
from types import SimpleNamespace

import django.forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.contrib.forms.forms import BaseForm, FormBuilder, WagtailAdminFormPageForm

from kis_forms.conf import option
from kis_forms.intake import gate
from kis_forms.renderer import enquiry_form_renderer
from kis_pages.phones import normalize_phone

CHOICE_FIELD_TYPES = {"dropdown", "radio", "checkboxes", "multiselect"}
# Fields of every enquiry form that are not the resident's answers.
RESERVED_FIELDS = frozenset({"consent", gate.HONEYPOT_FIELD, gate.TOKEN_FIELD})
EMAIL_MAX_LENGTH = 254  # EnquirySubmission.resident_email's; Django's form field allows 320
PLAIN_LOCAL_PART = re.compile(r"[A-Za-z0-9._+-]+")


class EnquiryBoundField(BoundField):
    """A field of the enquiry form, with all its template (kis_forms/includes/field.html)
    asks of it: a template looking up an attribute a field lacks lists all the field's
    attributes (to tell a missing one from a failing property), about 17 µs a field."""

    @property
    def sensitive(self):
        """Whether the answer is free text that might tell of health, addiction or a record."""
        return getattr(self.field, "sensitive", False)

    @property
    def layout(self):
        """How the template lays the field out: a "checkbox" before its label, "choices" in a
        fieldset under a legend, or a widget under its "label"."""
        kind = self.widget_type
        if kind == "checkbox":
            return "checkbox"
        return "choices" if kind in ("radioselect", "checkboxselectmultiple") else "label"


class EnquiryForm(BaseForm):
    """The editor's fields plus the consent, the honeypot and the one-time token."""

    bound_field_class = EnquiryBoundField

    consent = django.forms.BooleanField(
        label=gettext_lazy("I have read the information on how my personal data is processed."),
        error_messages={
            "required": gettext_lazy(
                "Please confirm that you have read the information on personal data."
            )
        },
    )
    website = django.forms.CharField(
        label=gettext_lazy("Leave this field empty"), required=False, max_length=200
    )
    kis_token = django.forms.CharField(widget=django.forms.HiddenInput, required=False)

    def __init__(self, *args, token_address=None, answer_fields=None, **kwargs):
        """`token_address`: where the form is shown, which its one-time token is valid for;
        `answer_fields`: the editor's fields, built for this form alone."""
        kwargs.setdefault("renderer", enquiry_form_renderer())
        super().__init__(*args, **kwargs)
        self.fields.update(answer_fields or {})
        self.token_address = token_address
        if not self.is_bound:
            self.initial[gate.TOKEN_FIELD] = gate.new_token(token_address)
        # Consent stands last, below the information clause, as the page shows it.
        self.order_fields([gate.HONEYPOT_FIELD, *self.answer_names, "consent"])
        self._describe_fields()

    @property
    def answer_names(self):
        """Names of the editor's fields, in order: what the resident answers."""
        return [name for name in self.fields if name not in RESERVED_FIELDS]

    def answers(self):
        """The resident's answers, ready to store."""
        return {name: self.cleaned_data.get(name) for name in self.answer_names}

    def resident_email(self):
        """The first e-mail address the resident gave, or ''."""
        return self._first_answer(lambda field: isinstance(field, django.forms.EmailField))

    def resident_name(self):
        """The answer to the first name field, or ''."""
        return self._first_answer(lambda field: getattr(field, "personal", None) == "name")

    def resident_phone(self):
        """The answer to the first phone field (as +48 and nine digits), or ''."""
        return self._first_answer(lambda field: getattr(field, "personal", None) == "phone")

    def _first_answer(self, matches):
        for name in self.answer_names:
            if matches(self.fields[name]):
                return self.cleaned_data.get(name) or ""
        return ""

    def error_summary(self):
        """(field, "Label: message") for each field error, in the form's order."""
        return [
            (self[name], summary_line(self.fields[name].label, message))
            for name in self.fields
            if not self[name].is_hidden
            for message in self.errors.get(name, [])
        ]

    def token_nonce(self):
        """The one-time nonce of the token this form was sent with."""
        token = gate.read_token(self.data.get(gate.TOKEN_FIELD), self.token_address)
        return token["nonce"] if token else None

    def clean(self):
        cleaned_data = super().clean()
        total = sum(len(str(value or "")) for value in self.answers().values())
        if total > option("MAX_TOTAL_LENGTH"):
            raise ValidationError(
                _("Your answers are too long. Please shorten them to %(limit)s characters in all.")
                % {"limit": option("MAX_TOTAL_LENGTH")}
            )
        return cleaned_data

    def full_clean(self):
        super().full_clean()
        if self.is_bound:  # an empty form was described when made
            self._describe_fields()

    def _describe_fields(self):
        """Tie each field to its help text, privacy hint and errors for screen readers."""
        for name, field in self.fields.items():
            bound = self[name]
            described_by = []
            if field.help_text:
                described_by.append(f"{bound.auto_id}_helptext")
            if getattr(field, "sensitive", False):
                described_by.append(f"{bound.auto_id}_hint")
            if self.is_bound and name in self.errors:
                described_by.append(f"{bound.auto_id}_errors")
                field.widget.attrs["aria-invalid"] = "true"
            if described_by:
                field.widget.attrs["aria-describedby"] = " ".join(described_by)


def summary_line(label, message):
    """A field's label and its error joined by a colon, with no stop or colon doubled."""
    label = str(label).rstrip()
    if label.endswith(("?", "!")):
        return f"{label} {message}"
    return f"{label.rstrip('.:')}: {message}"


class EnquiryFormBuilder(FormBuilder):
    """Wagtail's form builder with length limits and a privacy hint on free-text answers."""

    def create_multiline_field(self, field, options):
        options["max_length"] = option("MAX_ANSWER_LENGTH")
        form_field = super().create_multiline_field(field, options)
        form_field.sensitive = True
        return form_field

    def create_email_field(self, field, options):
        options["max_length"] = EMAIL_MAX_LENGTH
        form_field = super().create_email_field(field, options)
        form_field.validators.append(validate_plain_local_part)
        return form_field

    def create_name_field(self, field, options):
        form_field = self.create_singleline_field(field, options)
        form_field.widget.attrs["autocomplete"] = "name"
        form_field.personal = "name"
        return form_field

    def create_phone_field(self, field, options):
        form_field = PhoneField(**options)
        form_field.personal = "phone"
        return form_field

    def get_form_class(self):
        return type("EnquiryFormWithFields", (EnquiryForm,), self.formfields)

    def get_form(self, *args, **kwargs):
        """The form with the fields built for it alone, Django's way of adding fields to one
        form: a form class made of them (get_form_class) has each of its forms deep-copy
        them, about 0.15 ms of the page."""
        return EnquiryForm(*args, answer_fields=self.formfields, **kwargs)


def validate_plain_local_part(value):
    """Refuses an address whose part before the @ is more than letters, digits and . _ + -.

    The standard allows `?`, `&`, `=`, `%` and quotes there, which no resident's mailbox needs
    and which would turn a reply link into one with a copy or subject of the sender's choice.
    """
    local_part = value.rpartition("@")[0]
    if not PLAIN_LOCAL_PART.fullmatch(local_part):
        raise ValidationError(
            _(
                "Enter an e-mail address with only letters, digits, dots, hyphens, underscores "
                "or plus signs before the @."
            ),
            code="invalid",
        )


class TelInput(django.forms.TextInput):
    input_type = "tel"


class PhoneField(django.forms.CharField):
    """A Polish phone number, typed any common way, cleaned to +48 and nine digits."""

    widget = TelInput(attrs={"autocomplete": "tel"})

    def __init__(self, **kwargs):
        super().__init__(max_length=30, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_phone(value) if value else value


class EnquiryFormPageAdminForm(WagtailAdminFormPageForm):
    """Refuses a form whose answers could not reach anyone, or whose rules match nothing."""

    def clean(self):
        cleaned_data = super().clean()
        worker = cleaned_data.get("default_worker")
        if worker is not None and not worker.email:
            self.add_error(
                "default_worker",
                _("%(name)s has no work e-mail; enquiries could not reach them.")
                % {"name": worker.name},
            )
        self._check_routing_rules()
        return cleaned_data

    def _form_fields_by_label(self):
        formset = self.formsets.get("form_fields")
        if formset is None or not formset.is_valid():
            return {}
        return {
            form.cleaned_data["label"]: form.cleaned_data
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        }

    def _check_routing_rules(self):
        formset = self.formsets.get("routing_rules")
        if formset is None or not formset.is_valid():
            return
        fields = self._form_fields_by_label()
        for form in formset.forms:
            rule = form.cleaned_data
            if not rule or rule.get("DELETE"):
                continue
            field = fields.get(rule["field_label"])
            if field is None or field["field_type"] not in CHOICE_FIELD_TYPES:
                form.add_error("field_label", _("Give the label of a choice field of this form."))
            elif rule["value"] not in split_choices(field["choices"]):
                form.add_error("value", _("This is not one of that field's choices."))
            if rule["worker"] and not rule["worker"].email:
                form.add_error("worker", _("This worker has no work e-mail."))
        if any(form.errors for form in formset.forms):
            self.add_error(None, _("Check the routing rules."))


def split_choices(text):
    """A form field's choices, split exactly as Wagtail's form builder splits them."""
    field = SimpleNamespace(choices=text)
    return [value for value, _label in FormBuilder([]).get_formatted_field_choices(field)]
