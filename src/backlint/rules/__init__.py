"""backlint's built-in rules, one module per family. Each module is a default plugin that
registers its rules through the public ``register_rules`` hook, exactly as a third-party plugin
would. Rules are pure: they import no tracker, HTTP client or CLI code.
"""
