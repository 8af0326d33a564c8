from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import pgettext_lazy

from config.page_cache import forget_pages_now_and_after_commit

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

        # Kept public pages are stale as soon as any version is published, withdrawn or
        # restored (config/page_cache.py).
        from .models import Release

        for signal in (post_save, post_delete):
            signal.connect(
                forget_pages_now_and_after_commit, sender=Release, dispatch_uid="page-cache"
            )
