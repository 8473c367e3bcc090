"""BagIt bags: tag files, paths, building and verifying (RFC 8493)."""
