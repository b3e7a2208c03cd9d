"""Footnote: answers from a corpus of documents, every claim footnoted to its source passage."""

__version__ = "0.1.0"
