"""Rich output for a plain terminal (no Textual): quiz, reader, progress."""
