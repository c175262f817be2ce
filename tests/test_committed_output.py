"""The committed output/ is exactly what the pipeline writes from raw/, and raw/ is never touched."""

from __future__ import annotations

from conftest import RAW, ROOT, run_pipeline, tree_digest

# Reports carry the time of the run; every other file must match to the byte.
TIMESTAMPED = {"validation_report.json", "validation_report.html"}
REFRESH = "refresh it with `python3 dev.py run` and commit output/"


def test_committed_output_equals_a_fresh_run(seed_output):
    committed = {k: v for k, v in tree_digest(ROOT / "output").items() if k not in TIMESTAMPED}
    fresh = {k: v for k, v in tree_digest(seed_output).items() if k not in TIMESTAMPED}
    assert sorted(committed) == sorted(fresh), f"output/ has other files than a fresh run: {REFRESH}"
    differing = sorted(k for k in fresh if committed[k] != fresh[k])
    assert differing == [], f"output/ is stale ({', '.join(differing)} differ): {REFRESH}"


def test_the_input_folder_is_never_written(tmp_path):
    before = tree_digest(RAW)
    mtimes = {p: p.stat().st_mtime_ns for p in RAW.iterdir()}
    result = run_pipeline("--raw", RAW, "--out", tmp_path / "out", "--quiet")
    assert result.returncode == 0, result.stderr
    assert tree_digest(RAW) == before
    assert {p: p.stat().st_mtime_ns for p in RAW.iterdir()} == mtimes
