"""E-mail in the domain: preferences, who is due which e-mail, and what each letter says."""
