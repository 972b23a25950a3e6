"""Admin viewsets of kis_pages; registered in wagtail_hooks.py."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import SocialWorker


class SocialWorkerViewSet(SnippetViewSet):
    """Social workers: list with search and filters, add, edit."""

    model = SocialWorker
    icon = "user"
    menu_label = _("Social workers")
    menu_order = 200
    add_to_admin_menu = True
    list_display = [
        "name",
        "position",
        Column("phone_display", label=_("Work phone")),
        "room",
        BooleanColumn("active", label=_("Active")),
    ]
    list_filter = ["active", "position"]
    # A centre has a few dozen workers: plain database filtering finds them on any backend.
    search_backend_name = None
    search_fields = ["name", "position"]
    ordering = ["name"]
