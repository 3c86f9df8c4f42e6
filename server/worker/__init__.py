"""The worker: the e-mail pass, composing letters and account e-mails, sending them. No web app."""
