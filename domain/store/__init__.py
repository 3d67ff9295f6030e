"""The MongoDB store: connection, the embedded server, indexes and pagination."""
