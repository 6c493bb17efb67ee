"""VG — vague or boilerplate wording."""
