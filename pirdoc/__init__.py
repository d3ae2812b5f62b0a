"""pirdoc."""
