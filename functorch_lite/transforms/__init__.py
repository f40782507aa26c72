"""The transformations: each one an interpreter over the IR."""
