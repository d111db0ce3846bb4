def load_rules(path):
    return None
