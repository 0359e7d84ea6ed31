"""Template filters of the indicators app: thin wrappers over rules (formatting, kinds) that
format what the view already fetched. May import rules and models; nothing imports them."""
