"""Imports every area module so that its rules register; the order here is the order teachers act in."""

from . import account, profile, partners, project, twinspace, labels  # noqa: F401
