"""Charts as SVG, drawn from plain data: the SVG toolkit and the indicator, sparkline and
status-bars drawers.

Imports only indicators.rules (what a chart shows, formatting); never a model or the database.
"""
