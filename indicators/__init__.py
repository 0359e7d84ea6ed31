"""What is defined and recorded for the plan's indicators, in packages by concern.

Imports plan, never tiess. Inside, each package imports only the packages below it (the layers
contract of pyproject.toml, from rules up to board; README « Organisation du code »).
"""
