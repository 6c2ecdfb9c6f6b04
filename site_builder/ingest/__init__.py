"""The ingest: raw page texts → `content/`.

Takes the page texts of `seeds/` and their edition manifest; gives one Markdown file with
YAML front-matter per article, every character of a page accounted for in one or in a remainder.
"""
