"""Hygiene rules (BL501-BL507): ownership, staleness and sprint readiness."""
