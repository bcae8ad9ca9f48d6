"""The ``backlint`` command line: click commands that parse options and delegate."""
