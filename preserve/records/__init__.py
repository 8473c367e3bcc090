"""Records: extraction from documents, collection defaults, and (validate's) checks."""
