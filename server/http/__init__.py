"""HTTP plumbing: authentication, body limits, input guards, security headers, errors."""
