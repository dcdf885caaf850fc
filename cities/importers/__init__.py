"""Importers of external reference data into the directory (GeoNames cities)."""
