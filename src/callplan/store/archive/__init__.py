"""The callplan-JSON archive: export, load, merge."""
