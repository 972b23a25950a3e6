"""An administrator grants a group enquiry permissions per club in Settings › Groups."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.forms import BaseFormSet, CheckboxInput, Select
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from kis_forms.inbox.group_permissions import (
    DUPLICATE_CLUB,
    BaseGroupEnquiryPermissionFormSet,
    ClubEnquiryPermissionsForm,
    GroupEnquiryPermissionFormSet,
)
from kis_forms.models import EnquiryFormPage, EnquirySubmission, GroupEnquiryPermission
from kis_forms.permissions import HANDLE, VIEW, grant
from kis_pages.models import ClubPage

from ..utils import copy_demo_clubs
from .conftest import assert_refused, logged_in, url

PREFIX = "enquiry_permissions"
ADDED_CLUBS = 3


@pytest.fixture
def superuser_client(django_user_model):
    return logged_in(django_user_model.objects.create_superuser("admin", "admin@example.org", "x"))


def rendered_data(response):
    """What the browser sends back for the group form as rendered: every field unchanged."""
    forms = [response.context["form"]]
    for panel in response.context["permission_panels"]:
        forms += (
            [panel.management_form, *panel.forms] if isinstance(panel, BaseFormSet) else [panel]
        )
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if isinstance(field.field.widget, CheckboxInput):
                if value:
                    data[field.html_name] = "on"
            elif isinstance(value, (list, tuple)):
                data[field.html_name] = [str(item) for item in value]
            elif value is not None:
                data[field.html_name] = str(value)
    return data


def enquiry_panel(response):
    (panel,) = [
        panel
        for panel in response.context["permission_panels"]
        if isinstance(panel, BaseGroupEnquiryPermissionFormSet)
    ]
    return panel


def with_rows(data, *rows):
    """`data` with the enquiry rows `(club, codenames...)` added after the rendered ones."""
    data = dict(data)
    first = int(data[f"{PREFIX}-TOTAL_FORMS"])
    for index, (club, *codenames) in enumerate(rows, start=first):
        data[f"{PREFIX}-{index}-club"] = str(club.pk)
        data[f"{PREFIX}-{index}-permissions"] = codenames
    data[f"{PREFIX}-TOTAL_FORMS"] = str(first + len(rows))
    return data


def create_group(client, *rows):
    """Fill in Settings › Groups › Add group: a moderators' group with the enquiry `rows`."""
    add_url = reverse("wagtailusers_groups:add")
    data = rendered_data(client.get(add_url))
    data["name"] = "Moderatorzy"
    data["permissions"] = [str(Permission.objects.get(codename="access_admin").pk)]
    return client.post(add_url, with_rows(data, *rows))


def grants(group):
    return set(group.enquiry_permissions.values_list("club_id", "permission__codename"))


def member_of(django_user_model, group):
    user = django_user_model.objects.create_user("pracownik", "pracownik@example.org", "x")
    user.groups.add(group)
    return logged_in(user)


def test_an_administrator_grants_enquiry_permissions_per_club(superuser_client, clubs):
    response = create_group(superuser_client, (clubs["kk"], HANDLE), (clubs["nysa"], VIEW))
    assert response.status_code == 302
    group = Group.objects.get(name="Moderatorzy")
    assert grants(group) == {(clubs["kk"].pk, HANDLE), (clubs["nysa"].pk, VIEW)}

    edit = superuser_client.get(reverse("wagtailusers_groups:edit", args=[group.pk]))
    shown = {
        (form["club"].value(), tuple(form["permissions"].value()))
        for form in enquiry_panel(edit).forms
    }
    assert shown == {(clubs["kk"].pk, (HANDLE,)), (clubs["nysa"].pk, (VIEW,))}
    page = edit.content.decode()
    for row, club, checkbox in (
        (0, clubs["kk"], "permissions_1"),
        (1, clubs["nysa"], "permissions_0"),
    ):
        cells = page.split(f'id="inline_child_{PREFIX}-{row}"', 1)[1].split("</tr>", 1)[0]
        assert club.title in cells
        assert f'type="hidden" name="{PREFIX}-{row}-club" value="{club.pk}"' in cells
        assert f'id="id_{PREFIX}-{row}-{checkbox}" checked' in cells
    new_row = page.split(f'name="{PREFIX}-__prefix__-club"', 1)[1].split("</select>", 1)[0]
    for club in clubs.values():
        assert f'<option value="{club.pk}">{escape(club.title)}</option>' in new_row


def test_the_same_club_in_two_rows_is_refused_with_a_message(superuser_client, clubs):
    response = create_group(superuser_client, (clubs["kk"], HANDLE), (clubs["kk"], VIEW))
    assert response.status_code == 200
    message = DUPLICATE_CLUB % {"club": clubs["kk"].title}
    assert enquiry_panel(response).non_form_errors() == [message]
    assert escape(message) in response.content.decode()
    assert not Group.objects.filter(name="Moderatorzy").exists()
    assert not GroupEnquiryPermission.objects.filter(group__name="Moderatorzy").exists()


def test_a_refused_group_shows_every_row_as_sent_a_deleted_one_hidden(superuser_client, clubs):
    """Sent back with an error, each row is drawn by its form as it was sent: its club named
    and kept, its ticks, and a row the administrator deleted still there, hidden."""
    add_url = reverse("wagtailusers_groups:add")
    data = rendered_data(superuser_client.get(add_url))
    data["name"] = "Moderatorzy"
    data = with_rows(data, (clubs["kk"], HANDLE), (clubs["kk"], VIEW), (clubs["nysa"], VIEW))
    data[f"{PREFIX}-2-DELETE"] = "on"
    response = superuser_client.post(add_url, data)
    assert response.status_code == 200
    page = response.content.decode()
    rows = page.split(f'id="id_{PREFIX}-FORMS" data-w-formset-target="forms">', 1)[1]
    rows = rows.split("</tbody>", 1)[0].split("<tr ")[1:]
    assert len(rows) == 3
    for index, (row, club, checkbox) in enumerate(
        zip(
            rows,
            ["kk", "kk", "nysa"],
            ["permissions_1", "permissions_0", "permissions_0"],
            strict=True,
        )
    ):
        assert row.startswith(f'id="inline_child_{PREFIX}-{index}"')
        assert clubs[club].title in row
        assert f'name="{PREFIX}-{index}-club" value="{clubs[club].pk}"' in row
        assert f'id="id_{PREFIX}-{index}-{checkbox}" checked' in row
    assert [' hidden data-w-formset-target="deleted">' in row for row in rows] == [
        False,
        False,
        True,
    ]


def test_a_member_reads_and_handles_only_what_the_group_was_granted(
    superuser_client, django_user_model, clubs, enquiries
):
    create_group(superuser_client, (clubs["kk"], HANDLE), (clubs["nysa"], VIEW))
    client = member_of(django_user_model, Group.objects.get(name="Moderatorzy"))

    inbox = client.get(url("index")).content.decode()
    assert enquiries["kk"].reference in inbox and enquiries["nysa"].reference in inbox
    assert client.post(url("edit", enquiries["kk"]), {"status": "in_progress"}).status_code == 302
    assert_refused(client.post(url("edit", enquiries["nysa"]), {"status": "closed"}))
    statuses = dict(EnquirySubmission.objects.values_list("pk", "status"))
    assert statuses[enquiries["kk"].pk] == "in_progress"
    assert statuses[enquiries["nysa"].pk] == "new"


def test_removing_a_row_withdraws_the_clubs_enquiries_from_the_members(
    superuser_client, django_user_model, clubs, enquiries
):
    create_group(superuser_client, (clubs["kk"], HANDLE), (clubs["nysa"], VIEW))
    group = Group.objects.get(name="Moderatorzy")
    member = member_of(django_user_model, group)

    edit_url = reverse("wagtailusers_groups:edit", args=[group.pk])
    edit = superuser_client.get(edit_url)
    data = rendered_data(edit)
    (nysa_row,) = [f for f in enquiry_panel(edit).forms if f["club"].value() == clubs["nysa"].pk]
    data[f"{nysa_row.prefix}-DELETE"] = "1"  # what the row's Delete button does
    assert superuser_client.post(edit_url, data).status_code == 302

    assert grants(group) == {(clubs["kk"].pk, HANDLE)}
    inbox = member.get(url("index")).content.decode()
    assert enquiries["kk"].reference in inbox and enquiries["nysa"].reference not in inbox


def test_a_user_without_change_group_cannot_reach_the_group_editor(kk_moderator, clubs):
    client = logged_in(kk_moderator)
    group = kk_moderator.groups.get()
    assert_refused(client.get(reverse("wagtailusers_groups:add")))
    edit_url = reverse("wagtailusers_groups:edit", args=[group.pk])
    assert_refused(client.get(edit_url))
    data = {"name": group.name, f"{PREFIX}-TOTAL_FORMS": "1", f"{PREFIX}-INITIAL_FORMS": "0"}
    data |= {f"{PREFIX}-0-club": str(clubs["nysa"].pk), f"{PREFIX}-0-permissions": [HANDLE]}
    assert_refused(client.post(edit_url, data))
    assert grants(group) == {(clubs["kk"].pk, HANDLE)}


def test_a_page_of_the_club_tree_that_is_not_a_club_is_refused_as_a_row(superuser_client, clubs):
    """A grant is given on a club's home; a row naming any other page (a form, say) is refused."""
    form_page = clubs["kk"].get_children().type(EnquiryFormPage).get()
    response = create_group(superuser_client, (form_page, HANDLE))
    assert response.status_code == 200
    assert enquiry_panel(response).errors[0]["club"]
    assert not Group.objects.filter(name="Moderatorzy").exists()


@pytest.fixture
def regional_group(superuser_client, clubs):
    """A group reading the enquiries of every club, made in Settings › Groups."""
    create_group(superuser_client, *((club, VIEW) for club in clubs.values()))
    return Group.objects.get(name="Moderatorzy")


def edit_request(client, edit_url, method):
    """The group editor shown (GET), or sent back as shown (POST), ready to send."""
    if method == "get":
        return lambda: client.get(edit_url)
    data = rendered_data(client.get(edit_url))
    return lambda: client.post(edit_url, data)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_group_of_every_club_is_shown_and_saved_with_the_same_queries_for_more_clubs(
    superuser_client, regional_group, django_assert_num_queries, method
):
    """A row per club, hundreds in a voivodeship: showing or saving them costs no query per row
    (nor a list of every club per row)."""
    edit_url = reverse("wagtailusers_groups:edit", args=[regional_group.pk])
    superuser_client.get(edit_url)
    send = edit_request(superuser_client, edit_url, method)
    with CaptureQueriesContext(connection) as captured:
        assert send().status_code in (200, 302)
    with_two = len(captured)
    for club in copy_demo_clubs(ADDED_CLUBS):
        grant(regional_group, club, VIEW)
    superuser_client.get(edit_url)
    send = edit_request(superuser_client, edit_url, method)
    with django_assert_num_queries(with_two):
        assert send().status_code in (200, 302)


def test_a_saved_row_is_drawn_plain_as_its_widgets_would_draw_it(superuser_client, clubs):
    """Saved rows are written directly (300 of them took most of the page's time through a
    form each and the widgets' templates): the same inputs, names, ids, ticks and labels."""
    create_group(superuser_client, (clubs["kk"], HANDLE), (clubs["nysa"], VIEW, HANDLE))
    group = Group.objects.get(name="Moderatorzy")
    edit = superuser_client.get(reverse("wagtailusers_groups:edit", args=[group.pk]))
    panel = enquiry_panel(edit)
    page = edit.content.decode()
    drawn = []
    for form in panel.forms:
        cells = render_to_string("kis_forms/group_permissions/form.html", {"form": form})
        cells = re.sub(r"\s*([<>])\s*", r"\1", cells)
        drawn.append(
            f'<tr id="inline_child_{form.prefix}" data-w-formset-target="child">{cells}</tr>'
        )
    assert panel.drawn_rows() == "".join(drawn)
    assert f'id="id_{PREFIX}-FORMS" data-w-formset-target="forms">{"".join(drawn)}</tbody>' in page


def test_a_saved_grant_on_a_page_that_is_not_a_club_keeps_its_place_among_the_rows(
    superuser_client, clubs
):
    """Such a row offers the list of clubs; the saved rows around it stay in the group's
    order, each drawn once."""
    create_group(superuser_client, (clubs["kk"], HANDLE), (clubs["nysa"], VIEW))
    group = Group.objects.get(name="Moderatorzy")
    form_page = clubs["kk"].get_children().type(EnquiryFormPage).get()
    form_page.title = "Klub Integracji Społecznej w Legnicy"  # between the two clubs
    form_page.save()
    grant(group, form_page, VIEW)
    edit = superuser_client.get(reverse("wagtailusers_groups:edit", args=[group.pk]))
    page = edit.content.decode()
    starts = [page.index(f'id="inline_child_{PREFIX}-{index}"') for index in range(3)]
    assert starts == sorted(starts)
    assert [page.count(f'id="inline_child_{PREFIX}-{index}"') for index in range(3)] == [1, 1, 1]
    row = page[starts[1] : starts[2]]
    assert f'<select name="{PREFIX}-1-club"' in row
    assert f'name="{PREFIX}-0-club" value="{clubs["kk"].pk}"' in page[starts[0] : starts[1]]
    assert f'name="{PREFIX}-2-club" value="{clubs["nysa"].pk}"' in page[starts[2] :]


def test_a_clubs_title_is_shown_as_text_in_its_row_and_in_the_list_of_clubs(
    superuser_client, clubs
):
    """A title with markup in it is escaped in the saved row and in the new row's list."""
    clubs["kk"].title = 'Klub <img src=x onerror="alert(1)"> & „Nadzieja”'
    clubs["kk"].save()
    create_group(superuser_client, (clubs["kk"], HANDLE))
    group = Group.objects.get(name="Moderatorzy")
    edit = superuser_client.get(reverse("wagtailusers_groups:edit", args=[group.pk]))
    page = edit.content.decode()
    shown = escape(clubs["kk"].title)
    assert "<img src=x" not in page
    assert f'{shown}<input type="hidden" name="{PREFIX}-0-club"' in page  # the saved row
    assert f'<option value="{clubs["kk"].pk}">{shown}</option>' in page  # a new row's list


def test_the_list_of_clubs_of_a_new_row_is_drawn_as_a_select_widget_would_draw_it(clubs):
    """Its options written directly, the chosen one selected (the empty one in a new row)."""
    panel = GroupEnquiryPermissionFormSet()
    club_field = panel.empty_form.fields["club"]
    every_club = ClubPage.objects.order_by("title", "pk")
    plain = Select(choices=[("", "---------"), *((club.pk, club.title) for club in every_club)])
    for value in (None, str(clubs["nysa"].pk)):
        drawn = club_field.widget.render("club", value, {"id": "id_club"})
        expected = plain.render("club", value, {"id": "id_club"})
        assert drawn == re.sub(r"\s*([<>])\s*", r"\1", expected)


def test_showing_a_group_builds_a_form_for_the_new_row_only(
    superuser_client, regional_group, monkeypatch
):
    """Saved rows are drawn from the grants: the page builds the new row's form, not one per
    club (a template's formset.prefix, or the formset's media, used to build them all)."""
    built = []
    original = ClubEnquiryPermissionsForm.__init__

    def counting(form, *args, **kwargs):
        built.append(kwargs.get("prefix"))
        original(form, *args, **kwargs)

    monkeypatch.setattr(ClubEnquiryPermissionsForm, "__init__", counting)
    edit = superuser_client.get(reverse("wagtailusers_groups:edit", args=[regional_group.pk]))
    assert edit.status_code == 200
    assert set(built) == {f"{PREFIX}-__prefix__"}
