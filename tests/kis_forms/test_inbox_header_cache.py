"""The inbox's header is kept in the cache, yet each user sees their own, as it is now."""

from django.contrib.auth.models import Permission
from django.core.cache import cache
from wagtail.users.models import UserProfile

from kis_forms.inbox.listing import filter_choices_key
from kis_forms.models import EnquirySubmission, GroupEnquiryPermission
from kis_forms.permissions import VIEW

from .conftest import admin_user, logged_in, url


def header_of(response):
    page = response.content.decode()
    return page[page.index("<header") : page.index("</header>")]


def header(client, **query):
    return header_of(client.get(url("index"), query))


def test_the_header_is_drawn_once_then_taken_from_the_cache(enquiries, kk_moderator):
    client = logged_in(kk_moderator)
    first, again = client.get(url("index")), client.get(url("index"))
    filters = "wagtailadmin/shared/headers/_filters.html"
    assert filters in [template.name for template in first.templates]
    assert filters not in [template.name for template in again.templates]
    assert header_of(again) == header_of(first)


def test_another_club_and_lesser_rights_get_their_own_header(
    enquiries, kk_moderator, nysa_moderator
):
    kk_worker = enquiries["kk"].worker.name
    client = logged_in(kk_moderator)
    assert kk_worker in header(client) and "Żądanie osoby" in header(client)
    assert kk_worker not in header(logged_in(nysa_moderator))
    GroupEnquiryPermission.objects.filter(group__user=kk_moderator).update(
        permission=Permission.objects.get(codename=VIEW)
    )
    assert "Żądanie osoby" not in header(client)  # data subject's requests need handle rights


def test_the_export_links_follow_the_query(enquiries, kk_moderator):
    client = logged_in(kk_moderator)
    assert "status=new&amp;export=csv" in header(client, status="new")
    assert "status=closed&amp;export=csv" in header(client, status="closed")


def test_the_header_follows_the_users_language(enquiries, kk_moderator):
    client = logged_in(kk_moderator)
    assert "Filtruj według" in header(client)
    profile = UserProfile.get_for_user(kk_moderator)
    profile.preferred_language = "en"
    profile.save()
    assert "Filter by" in header(client)


def test_a_new_assignee_is_offered_once_the_filter_choices_are_renewed(
    django_user_model, clubs, enquiries, kk_moderator
):
    client = logged_in(kk_moderator)
    colleague = admin_user(django_user_model, "kolezanka", clubs["kk"], VIEW)
    assert "kolezanka" not in header(client)
    EnquirySubmission.objects.filter(pk=enquiries["kk"].pk).update(assignee=colleague)
    cache.delete(filter_choices_key(kk_moderator))  # as five minutes later
    assert "kolezanka" in header(client)
