"""Settings shared by every environment (production's own: test_production_settings.py)."""

from django.conf import settings


def test_polish_is_the_default_language_and_english_stays_available():
    assert settings.LANGUAGE_CODE == "pl"
    assert ("en", "English") in settings.LANGUAGES
