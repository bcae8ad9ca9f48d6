"""Acceptance-criteria rules (BL201-BL205): can anyone tell when the ticket is done?"""
