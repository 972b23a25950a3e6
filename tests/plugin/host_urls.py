# wagtail-kis: the enquiry endpoint for headless front ends and the statistics for staff,
# in Wagtail's API v3.
from wagtail.api.v3.api import api as wagtail_api_v3  # noqa: E402

from kis_forms.intake.api import router as kis_enquiries_router  # noqa: E402
from kis_forms.statistics.api import router as kis_statistics_router  # noqa: E402

wagtail_api_v3.add_router("/enquiries/", kis_enquiries_router)
wagtail_api_v3.add_router("/statistics/", kis_statistics_router)
urlpatterns.insert(0, path("api/v3/", wagtail_api_v3.urls))  # noqa: F821
