"""Reporters: render results as text for people or JSON for scripts."""
