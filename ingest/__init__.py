"""Files → passages → embeddings → Chroma. Nothing here knows about the API."""
