"""ST — structure and completeness."""
