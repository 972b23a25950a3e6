"""Which group may read or handle the enquiries of which club."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GroupEnquiryPermission(models.Model):
    """Lets a group read or handle the enquiries sent to the forms of one club.

    The club is a page: the grant covers every enquiry form below it, as Wagtail's page
    permissions cover a subtree.
    """

    group = models.ForeignKey(
        "auth.Group",
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        related_name="enquiry_permissions",
    )
    club = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("club"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    permission = models.ForeignKey(
        "auth.Permission", verbose_name=_("permission"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("enquiry permission")
        verbose_name_plural = _("enquiry permissions")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "club", "permission"], name="one_enquiry_grant_per_club"
            )
        ]

    def __str__(self):
        return f"{self.group} – {self.club}: {self.permission.codename}"
