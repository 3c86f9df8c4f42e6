"""Accounts: signing up, credentials, passwords, changing one's account, account e-mails."""
