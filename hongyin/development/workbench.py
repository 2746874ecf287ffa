"""Workbench panels (registered from the AppConfig.ready())."""
