"""The files besides the pages: Atom feeds, sitemap, JSON data, EPUB, citations, page metadata.

Takes the archive and the site settings; gives `Output`s (path, key, contents) that the site
build renders beside the pages, site-wide or an edition at a time.
"""
