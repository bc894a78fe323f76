from latsar.cli import entry

entry()
