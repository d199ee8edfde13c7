"""Recourse: a grounded legal-aid assistant for people targeted by image-based sexual abuse."""

__version__ = "0.1.0"
