"""The GitHub tracker: auth, bulk GraphQL reads, paging, limits, mapping and write-back."""
