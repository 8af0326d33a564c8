"""Which languages a page of the article exists in.

The one question the addresses ask of content translation: the switcher, the
`hreflang` alternates and the sitemap list a page only in these languages. For now
every article exists in every language of the site; when translated texts are stored
and published, this is the function that reads them.
"""

from config.languages import site_languages

from .releases import PublishedArticle


def languages_of(article: PublishedArticle) -> list[str]:
    """Codes (from settings.LANGUAGES) of the languages `article` can be read in."""
    return site_languages()
