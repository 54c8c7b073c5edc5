"""Rendering typed results for the terminal: text, JSON and GitHub annotations."""
