"""Write-audit-publish: the analysts' file, written only once every check has passed."""
