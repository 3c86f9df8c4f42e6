"""The JSON API, `/api/v1`: thin controllers over the domain, bearer-token auth."""
