"""Template filters that format what the view already fetched (no queries): numbers, a
measurement's answer, a strategy's state, through the rules and the kinds.

Loaded by templates; Python code asks the rules instead. Imports models and rules.
"""
