"""Web Push: members' subscriptions, the notifications waiting for them, what they want."""
