"""Prompt and reply templates, shipped as package data."""
