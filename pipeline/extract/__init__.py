"""Stage 1, extract: a PDF file becomes a `Document` of pages, lines and tables with their geometry.

`pdf` reads the file (words with their boxes, fonts and printed spaces; ruled tables cut into
cells) through one of two readers, `pdfium` (the default) and `plumber` (pdfplumber), which
hand over the same `content` for a page; `limits` bounds what a file may inflate to and how
large its pages may be; `borderless` finds tables drawn with white space only,
`layout` holds the geometry every later stage reasons about, and `marks` the typographic
marks that open a list item. Nothing here interprets what the text says.
"""
