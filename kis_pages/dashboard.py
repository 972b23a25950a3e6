"""The dashboard panel that asks editors to review their clubs' accessibility statements."""

from django.db.models import Q
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from .models import AccessibilityStatementPage
from .tree import parent_path


def review_deadline(today):
    """The day 12 months before `today`: a statement last reviewed before it is overdue."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def statements_to_review(user):
    """Statements `user` may edit whose last review is over 12 months old, or never happened."""
    editable = PagePermissionPolicy(AccessibilityStatementPage).instances_user_has_permission_for(
        user, "change"
    )
    deadline = review_deadline(timezone.localdate())
    overdue = Q(last_reviewed_on__isnull=True) | Q(last_reviewed_on__lt=deadline)
    return editable.filter(overdue).order_by("last_reviewed_on", "path")


class AccessibilityReviewPanel(Component):
    """A warning listing the statements to review, each linked to its edit view."""

    name = "kis_accessibility_review"
    order = 40
    template_name = "kis_pages/accessibility_review_panel.html"

    def __init__(self, statements):
        self.statements = statements

    def get_context_data(self, parent_context=None):
        # The clubs in one query, not one get_parent() per statement.
        paths = [parent_path(statement.path) for statement in self.statements]
        clubs = Page.objects.in_bulk(paths, field_name="path")
        return {
            "rows": [
                (statement, clubs[path])
                for statement, path in zip(self.statements, paths, strict=True)
            ]
        }


def panel_for(user):
    """The panel, when `user` may edit a statement that needs a review; else None."""
    statements = list(statements_to_review(user))
    return AccessibilityReviewPanel(statements) if statements else None
