"""Screens and modal dialogs. Each module is imported only when its screen is first shown."""
