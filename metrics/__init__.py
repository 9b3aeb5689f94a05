"""The numbers a controller watches, computed from what APX stored: pure functions, no I/O."""
