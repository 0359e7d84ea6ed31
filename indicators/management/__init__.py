"""Operations commands (`manage.py …`): thin shells over the packages that own the work.

Imports any package of indicators below board, and plan.
"""
