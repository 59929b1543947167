"""Real-browser acceptance tests of the built site (marker `browser`)."""
