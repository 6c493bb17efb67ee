"""Text utilities: normalisation, number parsing and (later) the Chinese NLP pipeline."""
