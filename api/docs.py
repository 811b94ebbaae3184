"""The API's documentation pages: Swagger UI (try requests in the browser) and ReDoc (read
the reference), drawn from the OpenAPI schema by drf-spectacular with their scripts served from
this site (drf-spectacular-sidecar): an intranet may have no internet, and the Content-Security-
Policy loads nothing from elsewhere.

Who may open them: anyone signed in, as for the schema they draw (it describes the API, not
anyone's data; what a request returns is still what its person may read). Signed out, the
sign-in page, as for every page of the site.

Their inline script and style carry the page's CSP nonce (templates/api/): Swagger UI needs
nothing more. ReDoc does (tests/browser/test_api_docs.py saw each refused): it draws with
styled-components, which adds <style> elements without a nonce, and it indexes the reference for
its search box in a web worker made from a blob: address. So its page, and only its page, allows
inline styles and blob: workers; its scripts stay as strict as everywhere else.
"""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace, csp_update
from django.contrib.auth.decorators import login_required
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

swagger_ui = login_required(
    SpectacularSwaggerView.as_view(url_name="api:schema", template_name="api/swagger_ui.html")
)

redoc = login_required(
    csp_replace({"style-src": [SELF, UNSAFE_INLINE]})(
        csp_update({"worker-src": [SELF, "blob:"]})(
            SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html")
        )
    )
)
