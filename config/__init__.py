"""The versioned data APX decides by: the exception catalog and the decision policy (YAML)."""
