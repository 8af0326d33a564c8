from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy, gettext_noop
from django.views.static import serve

from advice.editor import SafeImageUploadView, markdown_preview
from advice.sitemaps import ArticleListSitemap, ArticleSitemap
from advice.views import robots_txt
from config.page_cache import public_page
from config.views import favicon, healthz, server_error
from quiz.sitemaps import QuestionnaireSitemap

sitemaps = {
    "articles": ArticleSitemap,
    "article-list": ArticleListSitemap,
    "questionnaire": QuestionnaireSitemap,
}


def _with_site_name(message: str):
    """`message` translated when shown (admin's language is the address's), with the site's
    name in it: a whole sentence for translators, the name filled in after."""
    return lazy(lambda: gettext(message) % {"site": settings.SITE_NAME}, str)()


admin.site.site_header = _with_site_name(gettext_noop("%(site)s: editors"))
admin.site.site_title = _with_site_name(gettext_noop("%(site)s editors"))
admin.site.index_title = gettext_lazy("Article and questionnaire")

urlpatterns = [
    # markdownx's endpoints, at the paths its widget calls, but for staff only.
    path("markdownx/markdownify/", markdown_preview, name="markdownx_markdownify"),
    path("markdownx/upload/", SafeImageUploadView.as_view(), name="markdownx_upload"),
    path("sitemap.xml", public_page(sitemap), {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    # Images editors upload: few, small, re-encoded on upload. Served by Django so the site
    # stays one process; put them on a CDN or the proxy if traffic ever warrants it.
    path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
]
# Readers' pages and admin, in every language: the default at today's addresses (so every
# link ever given keeps working), the others under /<code>/ (config/languages.py). An editor
# reads admin in Spanish at /es/admin/: the address decides for her as for readers, and
# every link admin makes from there keeps her in it.
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("quiz.urls")),
    path("", include("advice.urls")),
    prefix_default_language=False,
)

handler500 = server_error
