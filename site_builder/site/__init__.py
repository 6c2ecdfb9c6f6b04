"""The site build: `content/` → `public/`.

Takes the article files (and a theme, the site settings); gives the static site, written to a
staging folder and swapped into place, rendering only what changed since the last build.
"""
