"""Full-text search of the archive, from `file://` and over http alike.

Takes the archive's articles; gives the search page and one static index under `search/`
(catalog, units of postings, each article's own file), read by the page with script elements.
"""
