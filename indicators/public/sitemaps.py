"""The sitemap of the public pages only (django.contrib.sitemaps): the list of published
plans, each published plan's progress page and its results' pages."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from indicators.public import selectors


class PublicSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        """None (the list of plans), then each published plan and its results."""
        items, self.latest = [None], {}
        for plan in selectors.published_plans():
            latest = selectors.published_measurements(plan).aggregate(last=Max("updated_at"))
            self.latest[plan.pk] = latest["last"]
            items.append(plan)
            items += [
                (plan, r) for o in selectors.published_structure(plan) for r in o.results.all()
            ]
        return items

    def location(self, item):
        if item is None:
            return reverse("public:public_index")
        if isinstance(item, tuple):
            plan, result = item
            return reverse("public:result_progress", args=[plan.years, result.number])
        return reverse("public:plan_progress", args=[item.years])

    def lastmod(self, item):
        if item is None:
            return None
        plan = item[0] if isinstance(item, tuple) else item
        return self.latest.get(plan.pk)
