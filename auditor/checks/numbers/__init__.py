"""NM — numbers that do not add up."""
