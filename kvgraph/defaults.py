"""Defaults that the command line shows in its help, kept apart from the code that uses them.

`kvgraph --help` and `kvgraph convert` import only what they run: the modules behind `load`
(an HTTP client) and `publish` (rdflib) are imported when those commands run. The defaults
their options show must be known before that, so they live here, in a module that imports
nothing.
"""

# kvgraph's version: pyproject.toml reads it from here, and every graph names it (the prov:Activity
# that made it), so it lives where reading it costs no import.
VERSION = "0.2.0"

# Triples per store write (whole graphs grouped into one transaction). Over HTTP every graph is
# its own PUT; a graph larger than this sends the rest as POSTs of this many triples.
DEFAULT_BATCH_SIZE = 10_000

# What a release says about itself unless told otherwise (publish.Metadata); fit for a test release.
RELEASE_TITLE = "Kamervragen met antwoorden (Tweede Kamer) als linked data"
RELEASE_DESCRIPTION = ("Schriftelijke vragen van leden van de Tweede Kamer aan de regering en de antwoorden "
                       "daarop, met indieners, beantwoorders, ambten, partijen en OWMS-thema's, als RDF-graaf "
                       "en als CSV-tabellen, omgezet met kvgraph.")
