"""Stage 1, extract: a PDF file becomes a `Document` of pages, lines and tables with their geometry.

`pdf` reads the file with pdfplumber (words with their boxes, fonts and printed spaces;
ruled tables cut into cells), `borderless` finds tables drawn with white space only,
`layout` holds the geometry every later stage reasons about, and `marks` the typographic
marks that open a list item. Nothing here interprets what the text says.
"""
