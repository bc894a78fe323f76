"""The classroom server: the same Textual app in every trainee's browser (textual-serve)."""
