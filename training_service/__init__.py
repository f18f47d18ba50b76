"""Training service: programmes, sessions, enrolment, attendance, hours and CPD."""
