"""Launcher and CLI for the embedded default; manifests for scale-out."""
