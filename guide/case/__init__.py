"""The case: one teacher's situation on ESEP (case-v1), the paths that name its facts, and its calendar."""
