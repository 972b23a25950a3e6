"""The club's content model; see the design's content model for the tree."""

from .accessibility import AccessibilityStatementPage
from .activities import ActivityIndexPage, ActivityPage
from .announcements import AnnouncementIndexPage, AnnouncementPage
from .club import ClubPage
from .easy_read import EasyReadPage
from .settings import ClubSettings
from .social_workers import SocialWorker
from .workplaces import Workplace, WorkplaceListPage

__all__ = [
    "AccessibilityStatementPage",
    "ActivityIndexPage",
    "ActivityPage",
    "AnnouncementIndexPage",
    "AnnouncementPage",
    "ClubPage",
    "ClubSettings",
    "EasyReadPage",
    "SocialWorker",
    "Workplace",
    "WorkplaceListPage",
]
