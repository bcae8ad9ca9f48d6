"""Priority rules (BL401-BL407): does the priority say what the ticket and the calendar say?"""
