"""The board's template filters and tags: statuses, sparklines, links between a plan's board
pages. Pure: they format what the view already fetched (no queries)."""
