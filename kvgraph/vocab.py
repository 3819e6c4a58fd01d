"""The RDF terms kvgraph emits: namespaces, classes and properties as IRI strings (see terms.py).

Kept in one place so the mapping, the writers' prefix tables and the queries agree on them.
The meaning of every term and why it was chosen is in ontology/README.md.
"""

from __future__ import annotations

DEFAULT_BASE = "https://w3id.org/kvgraph/"

PREFIXES: dict[str, str] = {
    "kv": "https://w3id.org/kvgraph/def/",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "eli-dl": "http://data.europa.eu/eli/eli-draft-legislation-ontology#",
    "owms": "http://standaarden.overheid.nl/owms/terms/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


class Namespace:
    """`NS.term` -> namespace + term; `NS["odd-name"]` for names with hyphens (or Python keywords)."""

    def __init__(self, iri: str) -> None:
        self._iri = iri

    def __getattr__(self, name: str) -> str:
        iri = self._iri + name
        setattr(self, name, iri)  # made once: the mapping asks for the same terms all the time
        return iri

    def __getitem__(self, name: str) -> str:
        return self._iri + name


KV = Namespace(PREFIXES["kv"])
DCTERMS = Namespace(PREFIXES["dcterms"])
SCHEMA = Namespace(PREFIXES["schema"])
FOAF = Namespace(PREFIXES["foaf"])
ORG = Namespace(PREFIXES["org"])
SKOS = Namespace(PREFIXES["skos"])
PROV = Namespace(PREFIXES["prov"])
ELI = Namespace(PREFIXES["eli"])
ELI_DL = Namespace(PREFIXES["eli-dl"])
RDF_TYPE = PREFIXES["rdf"] + "type"
OWL_SAME_AS = PREFIXES["owl"] + "sameAs"
XSD_DATE = PREFIXES["xsd"] + "date"
XSD_INTEGER = PREFIXES["xsd"] + "integer"

# Who rendered the documents as text: the input of every Kamervraag is attributed to it.
OPENKAMER = "https://www.openkamer.org/"

# Position strings as documents write them -> code-list terms in the ontology.
POSITION_TERMS: dict[str, str] = {
    name: KV[name.replace(" ", "-")]
    for name in ("minister", "minister zonder portefeuille", "staatssecretaris",
                 "minister-president", "viceminister-president")
}
