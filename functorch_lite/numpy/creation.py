"""fnp functions (being written)."""
