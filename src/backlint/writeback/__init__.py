"""Write-back: findings → the comment and labels a ticket should carry → the fewest writes."""
