"""After the build: the cheat-sheet PDFs and the offline zip."""
