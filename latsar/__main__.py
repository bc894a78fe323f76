from latsar.launch import entry

entry()
