def write_rewrite(text, masked, parts, findings, promises, used, gesture):
    return text
