"""Production hardening: HTTPS, cookies, security headers, the Content Security Policy and
the lockout after repeated failed logins.

`production.py` applies it; tests apply it on top of the test settings to prove it.
"""

from datetime import timedelta

import django

YEAR = 365 * 24 * 60 * 60

# The public site runs no inline script or style and loads nothing from other origins.
# The Wagtail admin needs inline scripts and styles, so it is left out of the policy.
PUBLIC_SITE_POLICY = {
    "default-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
CSP_EXCLUDED_URL_PREFIXES = ["/admin/"]


def content_security_policy():
    """Return the CSP middleware and its settings: Django's own from 6.1, django-csp before."""
    if django.VERSION >= (6, 1):
        return "kis_site.csp.ContentSecurityPolicyMiddleware", {
            "SECURE_CSP": PUBLIC_SITE_POLICY,
            "KIS_CSP_EXCLUDED_URL_PREFIXES": CSP_EXCLUDED_URL_PREFIXES,
        }
    return "csp.middleware.CSPMiddleware", {
        "CONTENT_SECURITY_POLICY": {
            "EXCLUDE_URL_PREFIXES": CSP_EXCLUDED_URL_PREFIXES,
            "DIRECTIVES": PUBLIC_SITE_POLICY,
        }
    }


def security_settings(
    middleware,
    *,
    ssl_redirect=True,
    hsts_preload=True,
    failure_limit=5,
    username_failure_limit=20,
    lockout_minutes=60,
):
    """Return the settings that harden a site whose middleware list is `middleware`.

    Also needs "axes" in INSTALLED_APPS (its tables hold the failed attempts).
    """
    csp_middleware, csp_settings = content_security_policy()
    silenced = []
    if not ssl_redirect:
        silenced.append("security.W008")  # the proxy in front redirects to HTTPS
    if not hsts_preload:
        silenced.append("security.W021")
    return {
        "MIDDLEWARE": [
            *middleware,
            csp_middleware,
            # Last, as django-axes asks: it turns a lockout into the lockout page.
            "axes.middleware.AxesMiddleware",
        ],
        **csp_settings,
        # HTTPS only, remembered by browsers for a year.
        "SECURE_SSL_REDIRECT": ssl_redirect,
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
        "SECURE_HSTS_SECONDS": YEAR,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": hsts_preload,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        # Residents' visits stay private: other sites learn nothing from the Referer.
        "SECURE_REFERRER_POLICY": "same-origin",
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "X_FRAME_OPTIONS": "DENY",
        "SILENCED_SYSTEM_CHECKS": silenced,
        # Password guessing: a username from one address is locked out after
        # `failure_limit` failures for `lockout_minutes`, and from every address after
        # `username_failure_limit` failures from all of them (kis_site/lockout.py); a good
        # login clears the count of its address.
        "AUTHENTICATION_BACKENDS": [
            "axes.backends.AxesStandaloneBackend",
            "django.contrib.auth.backends.ModelBackend",
        ],
        "AXES_ENABLED": True,
        "AXES_FAILURE_LIMIT": "kis_site.lockout.failure_limit",
        "KIS_LOGIN_FAILURE_LIMIT": failure_limit,
        "KIS_LOGIN_USERNAME_FAILURE_LIMIT": username_failure_limit,
        "AXES_COOLOFF_TIME": timedelta(minutes=lockout_minutes),
        "AXES_LOCKOUT_PARAMETERS": [["username", "ip_address"]],
        "AXES_RESET_ON_SUCCESS": True,
        "AXES_LOCKOUT_CALLABLE": "kis_site.lockout.lockout_response",
        # The same client address as the enquiry rate limit (KIS_FORMS["PROXY_COUNT"]).
        "AXES_CLIENT_IP_CALLABLE": "kis_forms.intake.gate.client_ip",
    }
