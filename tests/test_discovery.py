"""Discovery never takes nothing for success: a folder in which no file is recognised is a problem."""

from __future__ import annotations

import json
from pathlib import Path

from sgtest import run


def test_a_folder_of_nothing_recognised_fails_naming_what_was_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "random.json").write_text(json.dumps({"x": 1}), "utf-8")
    (folder / "notes.txt").write_text("not annotations", "utf-8")
    done = run("build", folder, "-o", tmp_path / "out.ttl", cwd=tmp_path)
    assert done.returncode == 1
    err = done.stderr.decode()
    assert "no file in this folder was recognised as annotations (2 skipped: export/notes.txt, export/random.json)" in err
    assert not (tmp_path / "out.ttl").exists()


def test_an_empty_folder_fails(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    done = run("validate", tmp_path / "empty", cwd=tmp_path)
    assert done.returncode == 1 and b"no annotation files in this folder" in done.stdout + done.stderr


def test_a_label_studio_json_min_export_in_a_folder_is_refused_not_built_empty(tmp_path: Path) -> None:
    folder = tmp_path / "ls"
    folder.mkdir()
    rows = [{"id": 1, "text": "Lakeland backs the treaty.", "annotation_id": 7, "annotator": 1,
             "label": [{"start": 0, "end": 8, "text": "Lakeland", "labels": ["GPE"]}]}]
    (folder / "project-1-min.json").write_text(json.dumps(rows), "utf-8")
    done = run("build", folder, "-o", tmp_path / "out.ttl", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert b"JSON-MIN" in done.stderr and not (tmp_path / "out.ttl").exists()
