from django.apps import AppConfig
from django.utils.translation import pgettext_lazy

from . import markdown


class AdviceConfig(AppConfig):
    name = "advice"
    verbose_name = pgettext_lazy("the admin's section for articles", "Article")

    def ready(self):
        # Python-Markdown imports its extensions when it first renders. Render once now, in
        # the process gunicorn forks its workers from (preload_app), so that a renderer
        # forked later by a worker thread (advice/markdown.py) never needs the import lock
        # another thread might hold at that moment.
        markdown.warm_up()
        # A release is indexed for search as it is created (advice/search/).
        from . import search  # noqa: F401
