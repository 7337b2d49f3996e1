"""The data model, declared once: record kinds, fields and vocabularies (schema), where each field
is stored (storage), countries, and the loaded data's types (dataset)."""
