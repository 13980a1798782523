"""Publishing concerns: robots.txt, social metadata, Content-Security-Policy, the offline service worker."""
