"""Adapters from incident platforms' exports to a `pirdoc.Review`.

Each adapter is a module of its own that uses only pirdoc's public API (it builds the review
file's language and hands it to `pirdoc.from_dict`), so that it is also an example of how to write
one for a platform pirdoc does not know.
"""
