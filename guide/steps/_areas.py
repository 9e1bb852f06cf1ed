"""Imports every area module so that its rules register; the order here is the order teachers act in."""
# ruff: noqa: I001, F401  - the import order is the registration order, which orders findings

from . import account, profile, partners, project, twinspace, labels
