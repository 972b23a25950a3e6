"""One rule says who answers for a social worker who is away: the first active deputy down
the chain. The club's footer, the API's contact and the enquiry's routing all follow it, so a
resident is told to call the person who gets their enquiry."""

from django.test import Client

from kis_forms.models import EnquiryFormPage, EnquirySubmission

from .conftest import KK_HOST
from .utils import make_worker, post_enquiry


def test_with_a_two_level_deputy_chain_the_footer_api_and_routing_name_the_same_worker(
    kk_site, settings
):
    settings.KIS_FORMS = {"MIN_FILL_SECONDS": 0, "RATE_LIMIT": 10_000}
    club = kk_site.root_page.specific
    form_page = EnquiryFormPage.objects.child_of(club).get()
    second = make_worker(name="Ewa Druga Zastępczyni", email="druga@example.org")
    first = make_worker(name="Jan Pierwszy Zastępca", active=False, deputy=second)
    for worker in {club.contact_worker, form_page.default_worker}:
        worker.active, worker.deputy = False, first
        worker.save()
    client = Client(HTTP_HOST=KK_HOST)

    footer = client.get("/").content.decode().split('id="kontakt"', 1)[1]
    api = client.get(f"/api/v2/pages/{club.pk}/").json()
    post_enquiry(client, form_page.relative_url(kk_site))

    assert second.name in footer and first.name not in footer
    assert api["contact"]["name"] == second.name
    assert EnquirySubmission.objects.get(page=form_page).worker == second
