"""Certs service: social-work certificates, registration cycles, leader-talent rounds."""
