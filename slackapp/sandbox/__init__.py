"""Local stand-ins for Slack, for tests, benchmarks and trying the app without a workspace."""
