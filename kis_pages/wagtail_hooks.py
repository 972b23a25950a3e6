"""Wiring of kis_pages into the Wagtail admin."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from . import dashboard
from .viewsets import SocialWorkerViewSet

register_snippet(SocialWorkerViewSet)


@hooks.register("construct_homepage_panels")
def add_accessibility_review_panel(request, panels):
    panel = dashboard.panel_for(request.user)
    if panel is not None:
        panels.append(panel)
