"""Benchmarks of Chatbot Watch: build, reruns, deep links, concurrency, memory, replicas (docs/benchmarks.md)."""
