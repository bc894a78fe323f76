"""The Textual app. Talks to the services, never to SQL."""
