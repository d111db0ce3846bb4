def unreviewable_reason(masked, apologies):
    return None if masked.strip() else "There is no draft to review."
