"""Per-site settings of the institution that runs the club (one Site per club)."""

from functools import partial

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField

from ..blocks import OpeningHoursBlock
from ..prepared import run_prepared
from ..rodo import default_information_clause
from ..validators import postal_code_validator

DEFAULT_RETENTION_DAYS = 730


def _of_site(settings_class, site):
    return settings_class.base_queryset().filter(site=site)


@register_setting(icon="home")
class ClubSettings(BaseSiteSetting):
    """The host institution's official data, its opening hours and its RODO texts."""

    # The institution (OPS / MOPS / MOPR)
    institution_name = models.CharField(
        _("institution name"),
        max_length=200,
        help_text=_("Full name, e.g. 'Miejski Ośrodek Pomocy Społecznej w Kędzierzynie-Koźlu'."),
    )
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(
        _("postal code"),
        max_length=6,
        blank=True,
        validators=[postal_code_validator],
        help_text=_("In the form 00-000."),
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    bip_url = models.URLField(
        _("BIP address"),
        blank=True,
        help_text=_("The institution's Biuletyn Informacji Publicznej."),
    )
    epuap_address = models.CharField(
        _("ePUAP inbox"),
        max_length=200,
        blank=True,
        help_text=_("E.g. '/MOPSKK/SkrytkaESP'."),
    )
    opening_hours = StreamField(
        [("day", OpeningHoursBlock())],
        verbose_name=_("opening hours"),
        blank=True,
        help_text=_("One row per weekday; mark the day closed to clients."),
    )

    # Personal data (RODO)
    dpo_name = models.CharField(_("data protection officer"), max_length=150, blank=True)
    dpo_email = models.EmailField(_("data protection officer's e-mail"), blank=True)
    rodo_clause = RichTextField(
        _("RODO information clause"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_(
            "The art. 13 RODO clause shown on every form that collects personal data: "
            "controller, data protection officer, purposes, recipients, retention, rights, "
            "the right to complain to the Prezes UODO."
        ),
    )
    enquiry_retention_days = models.PositiveIntegerField(
        _("keep enquiries for (days)"),
        default=DEFAULT_RETENTION_DAYS,
        validators=[MinValueValidator(30)],
        help_text=_(
            "Closed enquiries are anonymised after this many days. Ask the records officer."
        ),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("institution_name"),
                FieldPanel("street"),
                FieldPanel("postal_code"),
                FieldPanel("city"),
                FieldPanel("bip_url"),
                FieldPanel("epuap_address"),
            ],
            heading=_("Institution"),
        ),
        FieldPanel("opening_hours"),
        MultiFieldPanel(
            [
                FieldPanel("dpo_name"),
                FieldPanel("dpo_email"),
                FieldPanel("rodo_clause"),
                FieldPanel("enquiry_retention_days"),
            ],
            heading=_("Personal data (RODO)"),
        ),
    ]

    class Meta:
        verbose_name = _("club settings")
        verbose_name_plural = _("club settings")

    def __str__(self):
        return self.institution_name

    @classmethod
    def for_site(cls, site):
        """Wagtail's, with its read built and compiled once per process for the Site
        (kis_pages/prepared.py): every page of a club reads its settings."""
        if site is not None:
            key = ("club_settings", site.pk)
            found = run_prepared(cls, key, partial(_of_site, cls, site))
            if found:
                return found[0]
        return super().for_site(site)

    def information_clause(self):
        """The RODO clause to show: the editor's own, else one built from these settings."""
        return self.rodo_clause or default_information_clause(self)
