"""Configuration: config files, profiles, and the default conventions applied to tickets."""
