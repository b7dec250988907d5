// Product codes: registered by brands, verified by anyone.
