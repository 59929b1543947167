"""Drawing code the snippets import (kept apart from the engine that runs them)."""
