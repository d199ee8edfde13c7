"""knowledge/ → index: load sources, chunk them by structure, embed, write to Chroma."""
