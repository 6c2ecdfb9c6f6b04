"""Full-text search of the built site.

Takes the rendered article pages (and the archive); gives the search page, one Pagefind index
and one substring index per unit of the archive, and the offline index used from `file://`.
"""
