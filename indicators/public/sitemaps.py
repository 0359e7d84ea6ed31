"""The sitemap of the public pages only (django.contrib.sitemaps): the list of published
plans and each published plan's progress page."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from indicators.public import selectors


class PublicSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return [None, *selectors.published_plans()]

    def location(self, item):
        if item is None:
            return reverse("public:public_index")
        return reverse("public:plan_progress", args=[item.years])

    def lastmod(self, item):
        if item is None:
            return None
        return selectors.published_measurements(item).aggregate(last=Max("updated_at"))["last"]
