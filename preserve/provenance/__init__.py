"""PREMIS 3 provenance: what preserve did to a package's contents, when, and by whom."""
