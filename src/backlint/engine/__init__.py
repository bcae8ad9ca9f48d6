"""The rule engine: what a rule is, running rules over tickets, and rule documentation."""
