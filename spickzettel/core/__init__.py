"""Shared by every stage: paths, sources, download names, output layout, record."""
