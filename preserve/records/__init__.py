"""Records: reading record documents into records, and checking records.

Three parts:

- ``extract/``: record documents (``.txt``, ``.md``, ``.html``) in, record dicts and
  EXT-nnn findings out (start at ``extract.run.extract``);
- ``validate/``: loading records (JSON, JSON Lines, CSV, workbooks, documents) and
  checking them against the schema, the field rules and the cross-record rules
  (start at ``validate.validation.validate``); it uses ``extract`` to read documents;
- at this level, the parsers both use: ``citation``, ``dates`` and ``datebounds``,
  ``numbers``, ``classification``, ``people``, ``vocab``, ``pointers`` (JSON pointers),
  ``defaults`` (collection defaults) and ``types`` (the typed ``Record``).
"""
