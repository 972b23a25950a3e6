"""Who may read and handle which enquiries: per club, separate from editing pages.

A group is granted "view" (read) or "handle" (change status, assign, note, export,
delete) on a club page; the grant covers every enquiry sent to a form below that page.
Superusers may do everything; anyone else sees only what a grant covers.
"""

from django.db.models import Q
from wagtail.permission_policies.base import BasePermissionPolicy

VIEW = "view_enquirysubmission"
HANDLE = "handle_enquirysubmission"
# Wagtail's generic admin views ask for these actions; reading needs a view or handle
# grant, anything that changes an enquiry a handle grant. Nobody adds one in the admin.
CODENAMES_FOR_ACTION = {
    "view": {VIEW, HANDLE},
    "export": {VIEW, HANDLE},
    "change": {HANDLE},
    "delete": {HANDLE},
    "handle": {HANDLE},
}


class EnquiryPermissionPolicy(BasePermissionPolicy):
    """Wagtail permission policy for EnquirySubmission, scoped by club."""

    permission_cache_name = "_kis_enquiry_permission_cache"

    def get_all_permissions_for_user(self, user):
        from .models import GroupEnquiryPermission

        if not user.is_active or user.is_anonymous or user.is_superuser:
            return []
        grants = GroupEnquiryPermission.objects.filter(group__user=user)
        return list(grants.values_list("club__path", "permission__codename"))

    def _club_paths(self, user, actions):
        """Tree paths of the clubs where the user may do any of `actions`."""
        codenames = set().union(*(CODENAMES_FOR_ACTION.get(action, set()) for action in actions))
        return {
            path
            for path, codename in self.get_cached_permissions_for_user(user)
            if codename in codenames
        }

    def user_has_any_permission(self, user, actions):
        if not user.is_active:
            return False
        return user.is_superuser or bool(self._club_paths(user, actions))

    def user_has_permission(self, user, action):
        return self.user_has_any_permission(user, [action])

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not user.is_active:
            return False
        if user.is_superuser:
            return True
        form_path = instance.page.path
        return any(form_path.startswith(path) for path in self._club_paths(user, actions))

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def instances_user_has_any_permission_for(self, user, actions):
        queryset = self.model._default_manager.all()
        if not user.is_active:
            return queryset.none()
        if user.is_superuser:
            return queryset
        paths = self._club_paths(user, actions)
        if not paths:
            return queryset.none()
        scope = Q()
        for path in paths:
            scope |= Q(page__path__startswith=path)
        return queryset.filter(scope)

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        codenames = set().union(*(CODENAMES_FOR_ACTION.get(action, set()) for action in actions))
        granted = Q(groups__enquiry_permissions__permission__codename__in=codenames)
        return (
            get_user_model()
            ._default_manager.filter(is_active=True)
            .filter(granted | Q(is_superuser=True))
            .distinct()
        )

    def form_pages_q(self, user, action):
        """A filter on pages: those below the clubs where a grant lets the user do `action`."""
        scope = Q(pk__in=[])
        for path in self._club_paths(user, [action]) if user.is_active else ():
            scope |= Q(path__startswith=path)
        return scope

    def users_who_may_handle(self, instance):
        """Active users who may handle `instance`: the assignees a moderator may pick."""
        from django.contrib.auth import get_user_model

        form_path = instance.page.path
        steplen = type(instance.page).steplen
        club_paths = [form_path[:end] for end in range(steplen, len(form_path) + 1, steplen)]
        granted = Q(
            groups__enquiry_permissions__club__path__in=club_paths,
            groups__enquiry_permissions__permission__codename=HANDLE,
        )
        users = get_user_model()._default_manager.filter(is_active=True)
        return users.filter(granted | Q(is_superuser=True)).distinct()

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


def grant(group, club, codename):
    """Let `group` read (VIEW) or handle (HANDLE) the enquiries of `club` and its forms."""
    from django.contrib.auth.models import Permission

    from .models import GroupEnquiryPermission

    permission = Permission.objects.get(content_type__app_label="kis_forms", codename=codename)
    GroupEnquiryPermission.objects.get_or_create(group=group, club=club, permission=permission)
