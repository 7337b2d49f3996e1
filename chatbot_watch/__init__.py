"""Chatbot Watch: which AI chatbot apps send which user data to whom, and where they are restricted."""

__version__ = "0.1.0"
