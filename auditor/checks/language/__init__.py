"""LG — language (typos, stutter)."""
