"""BagIt 1.0 bags: build (copy or in place), hash, verify."""
