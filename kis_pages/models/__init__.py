"""The club's content model; see the design's content model for the tree."""

from .activities import ActivityIndexPage, ActivityPage
from .announcements import AnnouncementIndexPage, AnnouncementPage
from .club import ClubPage
from .settings import ClubSettings
from .social_workers import SocialWorker
from .workplaces import Workplace, WorkplaceListPage

__all__ = [
    "ActivityIndexPage",
    "ActivityPage",
    "AnnouncementIndexPage",
    "AnnouncementPage",
    "ClubPage",
    "ClubSettings",
    "SocialWorker",
    "Workplace",
    "WorkplaceListPage",
]
