"""slackapp: review customer apologies in Slack, then keep the promises they make."""

__version__ = "0.1.0"
