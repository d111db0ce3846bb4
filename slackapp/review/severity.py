def estimate_severity(masked):
    return "moderate"


def needs_gesture(masked, used):
    return used == "serious"


def tone_advice(used):
    return ()
