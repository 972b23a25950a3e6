"""Wiring of kis_pages into the Wagtail admin."""

from wagtail.snippets.models import register_snippet

from .viewsets import SocialWorkerViewSet

register_snippet(SocialWorkerViewSet)
