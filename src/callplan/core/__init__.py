"""The rules, pure: no SQLAlchemy, Rich or Typer, no store, no clock (dates are given)."""
