"""Reading document files: names are handed to the OS as pathlib would have normalised them."""

from __future__ import annotations

from pathlib import Path

import pytest

from kvgraph.read import read_document


def test_a_trailing_slash_or_dot_names_the_file_as_pathlib_reads_it(tmp_path: Path) -> None:
    document = tmp_path / "doc.txt"
    document.write_bytes(b"Kamervraag 2022Z04503\n")
    for name in (str(document), f"{document}/", f"{document}/."):
        assert read_document(name).data == b"Kamervraag 2022Z04503\n"
        assert read_document(name).path == name


def test_an_empty_name_is_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(IsADirectoryError):
        read_document("")
