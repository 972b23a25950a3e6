"""The social worker who answers residents: a snippet shared by the club's pages and forms."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.search import index

from ..phones import normalize_phone, phone_display, tel_href


class SocialWorker(index.Indexed, models.Model):
    """A named worker with work contacts only: officials' work details may be published."""

    # Who they are
    name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(
        _("position"),
        max_length=150,
        help_text=_("As residents should read it, e.g. 'pracownik socjalny' or 'lider klubu'."),
    )

    # Work contacts
    email = models.EmailField(
        _("work e-mail"),
        blank=True,
        help_text=_("A work address. Enquiries to this worker are sent here."),
    )
    phone = models.CharField(
        _("work phone"),
        max_length=16,
        blank=True,
        help_text=_("Nine digits, e.g. 77 483 77 23; it is saved as +48 77 483 77 23."),
    )
    phone_extension = models.CharField(
        _("extension"),
        max_length=6,
        blank=True,
        help_text=_("Only the extension digits, e.g. 103."),
    )
    room = models.CharField(
        _("room"), max_length=100, blank=True, help_text=_("E.g. 'I piętro, pokój 102'.")
    )
    office_hours = models.CharField(
        _("office hours"),
        max_length=200,
        blank=True,
        help_text=_("When residents can call or come, e.g. 'pn.–pt. 7:30–15:30'."),
    )

    # Absences
    deputy = models.ForeignKey(
        "self",
        verbose_name=_("deputy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputised_for",
        help_text=_("Who answers for this worker while they are absent or inactive."),
    )
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Untick while the worker is absent; their enquiries go to the deputy."),
    )

    search_fields = [
        index.SearchField("name"),
        index.SearchField("position"),
        index.AutocompleteField("name"),
        index.FilterField("active"),
    ]
    api_fields = [
        APIField("name"),
        APIField("position"),
        APIField("email"),
        APIField("phone"),
        APIField("phone_extension"),
        APIField("phone_display"),
        APIField("phone_href"),
        APIField("room"),
        APIField("office_hours"),
    ]
    panels = [
        MultiFieldPanel([FieldPanel("name"), FieldPanel("position")], heading=_("Worker")),
        MultiFieldPanel(
            [
                FieldPanel("email"),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("phone_extension")]),
                FieldPanel("room"),
                FieldPanel("office_hours"),
            ],
            heading=_("Work contacts"),
        ),
        MultiFieldPanel([FieldPanel("active"), FieldPanel("deputy")], heading=_("Absences")),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("social worker")
        verbose_name_plural = _("social workers")

    def __str__(self):
        return f"{self.name} ({self.position})"

    def clean(self):
        super().clean()
        if self.phone:
            try:
                self.phone = normalize_phone(self.phone)
            except ValidationError as error:
                raise ValidationError({"phone": error}) from error
        if self.phone_extension and not self.phone_extension.isdigit():
            raise ValidationError({"phone_extension": _("An extension has digits only.")})
        if self.phone_extension and not self.phone:
            raise ValidationError({"phone_extension": _("Give the phone number first.")})
        if self.deputy_id and self.deputy_id == self.pk:
            raise ValidationError({"deputy": _("A worker cannot be their own deputy.")})

    def who_answers(self):
        """The worker who answers now: this one, or while they are away (inactive) the first
        active deputy down the chain; when nobody in the chain is active, this one (someone
        reads their mailbox). Routing, the club's pages and the API all ask this."""
        seen = set()
        current = self
        while current is not None and not current.active and current.pk not in seen:
            seen.add(current.pk)
            current = current.deputy
        return current if current is not None and current.active else self

    @property
    def phone_display(self):
        return phone_display(self.phone, self.phone_extension)

    @property
    def phone_href(self):
        """The tel: link that dials the number and then the extension."""
        return tel_href(self.phone, self.phone_extension) if self.phone else ""
