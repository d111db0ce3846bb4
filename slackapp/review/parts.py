from slackapp.review.model import Parts


def detect_parts(masked, promises):
    return Parts()
