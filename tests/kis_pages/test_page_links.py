"""The links our templates write with site_pageurl and site_fullpageurl are Wagtail's own
pageurl and fullpageurl, for every page seen from every Site: the request's own Site,
another Site, a Site inside another, a page with letters beyond ASCII in its address, and a
host that serves Wagtail below a prefix of its own."""

import itertools

import pytest
from django.test import RequestFactory
from django.urls import clear_script_prefix, include, path, set_script_prefix
from wagtail import urls as wagtail_urls
from wagtail.models import Page, Site
from wagtail.templatetags.wagtailcore_tags import fullpageurl, pageurl

from kis_pages.models import ActivityIndexPage
from kis_pages.templatetags.kis_tags import site_fullpageurl, site_pageurl

from ..utils import make_announcement, make_announcement_index

urlpatterns = [path("strony/", include(wagtail_urls))]  # a host serving Wagtail below a prefix


def request_on(site, routed=False):
    """A request to `site`'s home; `routed`, as Wagtail's serve view has routed it."""
    request = RequestFactory().get("/", HTTP_HOST=site.hostname, SERVER_PORT=site.port)
    if routed:
        Page.route_for_request(request, "/")
    return request


def assert_links_are_wagtails(sites):
    """Each page's links, ours and Wagtail's, on requests to each Site, routed or not (each
    its own request, so that what one keeps on the request cannot help the other)."""
    pages = list(Page.objects.all().specific())
    assert len(pages) >= 25  # both demo clubs, the tree's root and what a test added
    for site, routed in itertools.product(sites, (False, True)):
        ours = {"request": request_on(site, routed)}
        wagtails = {"request": request_on(site, routed)}
        for page in pages:
            assert site_pageurl(ours, page) == pageurl(wagtails, page), (site, page.url_path)
            assert site_fullpageurl(ours, page) == fullpageurl(wagtails, page), (site, page)


def test_every_page_of_both_clubs_from_each_site(nysa_site, kk_site):
    assert_links_are_wagtails([nysa_site, kk_site])
    ours = {"request": request_on(nysa_site)}
    activities = ActivityIndexPage.objects.descendant_of(nysa_site.root_page).get()
    assert site_pageurl(ours, activities) == f"/{activities.slug}/"
    kk_home = kk_site.root_page
    assert site_pageurl(ours, kk_home) == f"{kk_site.root_url}/"  # another Site: in full


@pytest.fixture
def inner_site(nysa_site):
    """A Site whose root is Nysa's list of activities; Wagtail's kept root paths of the Sites
    are dropped afterwards, as the Site's rollback leaves them in the cache."""
    activities = ActivityIndexPage.objects.descendant_of(nysa_site.root_page).get()
    yield Site.objects.create(hostname="zajecia.localhost", port=80, root_page=activities)
    Site.clear_site_root_paths_cache()


def test_a_site_inside_another_and_an_address_beyond_ascii(nysa_site, kk_site, inner_site):
    index = make_announcement_index(nysa_site.root_page, slug="ogłoszenia-świetlicy")
    make_announcement(index, slug="zażółć-gęślą-jaźń")
    assert_links_are_wagtails([nysa_site, kk_site, inner_site])


def test_a_host_serving_wagtail_below_a_prefix_of_its_own(settings, nysa_site, kk_site):
    settings.ROOT_URLCONF = __name__
    set_script_prefix("/ops/")
    try:
        assert_links_are_wagtails([nysa_site, kk_site])
        home = nysa_site.root_page
        assert site_pageurl({"request": request_on(nysa_site)}, home) == "/ops/strony/"
    finally:
        clear_script_prefix()


def test_what_is_not_a_page_is_refused_as_wagtail_refuses_it(nysa_site):
    context = {"request": request_on(nysa_site)}
    with pytest.raises(ValueError, match="pageurl tag expected a Page object"):
        site_pageurl(context, None)
    with pytest.raises(ValueError, match="fullpageurl tag expected a Page object"):
        site_fullpageurl(context, "/")
