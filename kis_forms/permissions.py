"""Who may read and handle which enquiries: per club, separate from editing pages.

A group is granted "view" (read) or "handle" (change status, assign, note, export,
delete) on a club page; the grant covers every enquiry sent to a form below that page.
Superusers may do everything; anyone else sees only what a grant covers.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from wagtail.models import Page
from wagtail.permission_policies.base import BasePermissionPolicy

from kis_forms.lookups import one_of
from kis_forms.models import EnquiryFormPage, EnquirySubmission, GroupEnquiryPermission
from kis_pages.tree import ancestor_paths, subtree_q

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


# Enquiries come only from residents' forms; nobody, superusers included, adds one by hand.
NOBODY_MAY = {"add"}


def codenames_for(actions):
    return set().union(*(CODENAMES_FOR_ACTION.get(action, set()) for action in actions))


class EnquiryPermissionPolicy(BasePermissionPolicy):
    """Wagtail permission policy for EnquirySubmission, scoped by club."""

    permission_cache_name = "_kis_enquiry_permission_cache"
    form_ids_cache_name = "_kis_enquiry_form_ids_cache"

    def get_all_permissions_for_user(self, user):
        if not user.is_active or user.is_anonymous or user.is_superuser:
            return []
        grants = GroupEnquiryPermission.objects.filter(group__user=user)
        return list(grants.values_list("club__path", "permission__codename"))

    def club_paths(self, user, actions):
        """Tree paths of the clubs where a grant lets the user do any of `actions`."""
        if not user.is_active:
            return set()
        codenames = codenames_for(actions)
        return {
            path
            for path, codename in self.get_cached_permissions_for_user(user)
            if codename in codenames
        }

    def user_has_any_permission(self, user, actions):
        actions = set(actions) - NOBODY_MAY
        if not actions or not user.is_active:
            return False
        return user.is_superuser or bool(self.club_paths(user, actions))

    def user_has_permission(self, user, action):
        return self.user_has_any_permission(user, [action])

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not user.is_active:
            return False
        if user.is_superuser:
            return True
        form_path = instance.page.path
        return any(form_path.startswith(path) for path in self.club_paths(user, actions))

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def pages_in_scope(self, user, actions):
        """The pages of the clubs where a grant lets the user do any of `actions`."""
        pages = Page.objects.all()
        if user.is_active and user.is_superuser:
            return pages
        return pages.filter(subtree_q(self.club_paths(user, actions)))

    def instances_user_has_any_permission_for(self, user, actions):
        queryset = self.model._default_manager.all()
        if user.is_active and user.is_superuser:
            return queryset
        return queryset.filter(one_of(self.model, "page_id", self.form_ids_in_scope(user, actions)))

    def form_ids_in_scope(self, user, actions):
        """The ids of the enquiry forms among `pages_in_scope`, read once per user object.

        A list, neither a join nor a subquery: PostgreSQL then counts a club's enquiries from
        the page_id index alone, not by matching every club's rows. The listing and the menu
        badge of one request share it. Enquiries are sent to forms only: a regional admin's
        300 clubs are 300 ids to match, not the 6,000 pages of their trees (whose list took
        longer to write into the SQL, and PostgreSQL longer to match, than the count).
        """
        cached = user.__dict__.setdefault(self.form_ids_cache_name, {})
        key = frozenset(actions)
        if key not in cached:
            forms = self.pages_in_scope(user, actions).type(EnquiryFormPage)
            cached[key] = list(forms.values_list("pk", flat=True))
        return cached[key]

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])

    def _users_granted(self, grant_filter):
        """Active users whose groups hold a grant matching `grant_filter`, and superusers."""
        granted = Q(
            **{f"groups__enquiry_permissions__{name}": v for name, v in grant_filter.items()}
        )
        users = get_user_model()._default_manager.filter(is_active=True)
        return users.filter(granted | Q(is_superuser=True)).distinct()

    def users_with_any_permission(self, actions):
        return self._users_granted({"permission__codename__in": codenames_for(actions)})

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])

    def users_with_any_permission_for_instance(self, actions, instance):
        """Who may act on `instance`: grants on the clubs its form sits in, and superusers."""
        return self._users_granted(
            {
                "club__path__in": ancestor_paths(instance.page.path),
                "permission__codename__in": codenames_for(actions),
            }
        )

    def users_with_permission_for_instance(self, action, instance):
        return self.users_with_any_permission_for_instance([action], instance)


enquiry_policy = EnquiryPermissionPolicy(EnquirySubmission)


def grant(group, club, codename):
    """Let `group` read (VIEW) or handle (HANDLE) the enquiries of `club` and its forms."""
    permission = Permission.objects.get(content_type__app_label="kis_forms", codename=codename)
    GroupEnquiryPermission.objects.get_or_create(group=group, club=club, permission=permission)


def handlers_of(enquiries):
    """The people who may handle every one of `enquiries`: whom they can be assigned to."""
    users = enquiry_policy.users_with_permission("handle")
    one_per_form = {enquiry.page_id: enquiry for enquiry in enquiries}.values()
    for enquiry in one_per_form:
        users = users.filter(
            pk__in=enquiry_policy.users_with_permission_for_instance("handle", enquiry)
        )
    return users.order_by("first_name", "last_name", "username")
