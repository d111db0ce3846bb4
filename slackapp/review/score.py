def score_review(parts, findings):
    return 0
