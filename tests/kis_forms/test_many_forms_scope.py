"""A moderator whose clubs have many forms (on PostgreSQL, sent as one array parameter past
`PARAMETERS_KEPT` forms) still reads and counts only those clubs' enquiries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kis_forms import lookups
from kis_forms.inbox import backlog
from kis_forms.models import EnquirySubmission
from kis_forms.permissions import VIEW, enquiry_policy, grant

from .conftest import assert_refused, logged_in, url


@pytest.fixture
def many_forms(monkeypatch):
    """Every list of forms counts as long: the demo's one form per club takes that path."""
    monkeypatch.setattr(lookups, "PARAMETERS_KEPT", 0)


def readable(user):
    return set(enquiry_policy.instances_user_has_permission_for(user, "view"))


def test_the_inbox_badge_and_dashboard_of_a_club_hold_none_of_another_clubs_enquiries(
    many_forms, enquiries, kk_moderator
):
    client = logged_in(kk_moderator)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url("index")).content.decode()
    if connection.vendor == "postgresql":
        assert any("= ANY(" in query["sql"] for query in captured)
    assert enquiries["kk"].reference in page
    assert enquiries["nysa"].reference not in page
    assert_refused(client.get(url("inspect", enquiries["nysa"])))
    assert readable(kk_moderator) == {enquiries["kk"]}
    assert backlog.new_count(kk_moderator) == 1
    assert backlog.waiting(kk_moderator)["new"] == 1


def test_the_same_enquiries_are_read_whichever_way_the_forms_are_sent(
    monkeypatch, enquiries, clubs, kk_moderator, nysa_moderator
):
    grant(kk_moderator.groups.get(), clubs["nysa"], VIEW)
    users = [kk_moderator, nysa_moderator]
    as_in_list = [(readable(user), backlog.waiting(user)) for user in users]
    monkeypatch.setattr(lookups, "PARAMETERS_KEPT", 0)
    for user in users:  # a fresh user object: the forms in scope are read once per object
        user.__dict__.pop(enquiry_policy.form_ids_cache_name, None)
    assert [(readable(user), backlog.waiting(user)) for user in users] == as_in_list
    assert as_in_list[0][0] == set(EnquirySubmission.objects.all())
    assert as_in_list[1][0] == {enquiries["nysa"]}
