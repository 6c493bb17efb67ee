"""MS — not measurable."""
