"""What workers hand the writer: chunks merged per run of unshared ones write the same bytes."""

from __future__ import annotations

import io

import pytest
from conftest import example_documents

from kvgraph.mapping import kamervraag_iri, map_kamervraag
from kvgraph.pipeline import parse_file
from kvgraph.serializers import FORMATS, Sink
from kvgraph.serializers.chunk import merged
from kvgraph.vocab import DEFAULT_BASE


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_merged_chunks_write_the_bytes_of_the_chunks_they_merge(fmt: str) -> None:
    chosen = FORMATS[fmt]
    documents = [parse_file(str(path)).kamervraag for path in example_documents()]
    written = []
    for merge in (False, True):
        out = io.BytesIO()
        sink = Sink(chosen, out)
        for kv in documents:
            chunks = chosen.chunks(kamervraag_iri(kv.id, DEFAULT_BASE), map_kamervraag(kv, DEFAULT_BASE))
            if merge:
                fewer = merged(chunks, chosen.separator)
                assert len(fewer) < len(chunks) if fmt in ("turtle", "json-ld") else len(fewer) == len(chunks)
                chunks = list(fewer)
            sink.write(chunks)
        sink.close()
        written.append(out.getvalue())
    assert written[0] == written[1]
