"""callplan: a call planner for recruitment consultants doing business development."""

__version__ = "0.1.0"
