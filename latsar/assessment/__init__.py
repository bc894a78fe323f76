"""Pure assessment rules: grading, the mastery gate, remediation, shuffling, item statistics."""
