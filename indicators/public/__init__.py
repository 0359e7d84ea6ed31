"""The public side of the plan: what the organisation chose to publish, readable without login.

Owns the publication rules (selectors.py: which plans, indicators, periods, values and stories
are public, shared by the public pages and the anonymous API), the public pages (views.py,
urls.py, with their page cache in cache.py) and the sitemap (sitemaps.py).
May import every other package of `indicators` (the board's status rule and page cache
included) and `plan`; only tiess.urls and the API import it.
"""
