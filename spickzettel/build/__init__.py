"""`mkdocs build`: the work of the hooks in overrides/hooks/."""
