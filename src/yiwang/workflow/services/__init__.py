"""Writes of the workflow engine, one module per entity (definitions now; instances and tasks follow)."""
