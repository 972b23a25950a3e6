"""The editors' Preview in a headless front end, for a host that has one (README, Headless).

A host that installs `wagtail_headless_preview` and sets its
`WAGTAIL_HEADLESS_PREVIEW["CLIENT_URLS"]` gets the package's preview: Preview keeps the
draft under a one-off token and sends the editor to the front end with
`?content_type=…&token=…`, and the front end reads the draft from
`kis_pages.preview_api.PagePreviewAPIViewSet`. Every other host keeps Wagtail's own
preview, drawn with the club theme; the package's model is imported only when installed.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.signing import BadSignature, TimestampSigner
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from wagtail.models import Site

PACKAGE = "wagtail_headless_preview"
# The package's own salt: its tools and ours read the same tokens.
TOKEN_SALT = "headlesspreview.token"  # noqa: S105 - a signing namespace, not a secret


def client_urls():
    """The front ends' addresses by Site host name ("default" for the rest); {} for none."""
    return getattr(settings, "WAGTAIL_HEADLESS_PREVIEW", {}).get("CLIENT_URLS", {})


def in_front_end():
    """Whether Preview goes to a headless front end."""
    return bool(client_urls()) and apps.is_installed(PACKAGE)


def content_type_name(model):
    """How the preview's address names a page type: `app_label.modelname`."""
    return f"{model._meta.app_label}.{model._meta.model_name}"


def draft_for_token(content_type, token):
    """The draft kept under `token` for a page of `content_type` (`app_label.modelname`).

    None for a forged token, one of another page type or one no longer kept (the package
    keeps a preview for a day or two).
    """
    from wagtail_headless_preview.models import PagePreview

    try:
        TimestampSigner(salt=TOKEN_SALT).unsign(token)
        app_label, model = content_type.split(".")
        kind = ContentType.objects.get_by_natural_key(app_label, model)
        return PagePreview.objects.get(content_type=kind, token=token).as_page()
    except (BadSignature, ValueError, ContentType.DoesNotExist, PagePreview.DoesNotExist):
        return None


class HeadlessPreviewMixin:
    """Preview in the host's headless front end when it has one, else Wagtail's own."""

    def serve_preview(self, request, mode_name):
        if not in_front_end():
            return super().serve_preview(request, mode_name)
        return self.serve_preview_in_front_end(request)

    def serve_preview_in_front_end(self, request):
        """Keep this draft under a fresh token and send the editor to the front end with it.

        The steps of the package's own HeadlessPreviewMixin, whose model a page type cannot
        inherit from without making every host install the package.
        """
        from wagtail_headless_preview import models as package
        from wagtail_headless_preview.settings import headless_preview_settings
        from wagtail_headless_preview.signals import preview_update

        package.PagePreview.garbage_collect()
        if self.pk is None:
            identifier = f"parent_id={self.get_parent().pk};page_type={self._meta.label}"
        else:
            identifier = f"id={self.pk}"
        token = TimestampSigner(salt=TOKEN_SALT).sign(identifier)
        package.PagePreview.objects.update_or_create(
            token=token,
            defaults={"content_type": self.content_type, "content_json": self.to_json()},
        )
        # Sent as the package sends it, for the receivers written for it.
        preview_update.send(sender=package.HeadlessPreviewMixin, token=token)
        front_end = package.get_client_root_url_from_site(Site.find_for_request(request))
        url = (
            front_end
            + "?"
            + urlencode({"content_type": content_type_name(type(self)), "token": token})
        )
        if headless_preview_settings.REDIRECT_ON_PREVIEW:
            return redirect(url)
        return render(request, "wagtail_headless_preview/preview.html", {"preview_url": url})
