"""Maintainer tools: the corrections inbox, leads and the news watch, HAR import, source checks,
synthetic data, the development server, and generated docs and editor schemas."""
