"""HR service: communities and staffing, recruitment, workers, assessments and pay."""
