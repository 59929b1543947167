"""Maintainer commands: snippet lint and format, new topic."""
