"""Clarity rules (BL101-BL113): can someone who was not in the room understand the ticket?"""
