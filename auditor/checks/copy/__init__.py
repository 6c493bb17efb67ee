"""CP — copied or cloned text."""
