"""Contact methods and notification rules: how and when each user wants to be paged."""
