"""Fuzzing: a few hundred mangled copies of the seed answer, each ends in data or in a clear error.

The mutants (fixed random seed, so every run feeds the same files) go through the real command
line with two jobs: byte flips, cut tails, duplicated objects, a zeroed cross-reference table,
garbled regions, and, on a copy whose streams are stored uncompressed so that the damage hits
the page content itself, flipped bytes, extreme numbers and swapped names; and answers made
here whose header and table cells hold odd values (numbers past 64 bits, control characters,
formulas, impossible dates) with a continuation on the next page that fills only some columns.
Every document must end with status `ok`, or `error` with a one-line message from a known
catalogue slug; never an internal error, a timeout (a hang), a traceback or a lost document.
`benchmarks/fuzz.py` feeds a thousand of these through, timing each and measuring memory.
"""

from __future__ import annotations

import random
import re
import zlib
from collections import Counter
from collections.abc import Callable

import pytest
from conftest import SEED_PDF, read_csv, report_checks, run_pipeline
from pdfs import trainings_answer

from pipeline.catalogue import DOCUMENT_ERRORS

MUTANTS = 250
RANDOM_SEED = 20260101
TIMEOUT_SECONDS = 20  # per document; the slowest mutant takes about 1 s
# The whole run takes about a minute on a quiet machine, several on a shared one; a hang is
# bounded by the timeout per document, so this only bounds the command as a whole.
SEED = SEED_PDF.read_bytes()


def rebuild_xref(pdf: bytes) -> bytes:
    """The same objects with a cross-reference table that matches their offsets."""
    body = pdf[: pdf.rindex(b"xref")]
    offsets = {int(m.group(1)): m.start() for m in re.finditer(rb"(?m)^(\d+) 0 obj", body)}
    size = max(offsets) + 1
    rows = [b"%010d 00000 n \n" % offsets[i] if i in offsets else b"0000000000 65535 f \n" for i in range(size)]
    root = re.search(rb"/Root (\d+ 0 R)", pdf).group(1)
    trailer = b"trailer\n<</Size %d/Root %s>>\nstartxref\n%d\n%%%%EOF\n" % (size, root, len(body))
    return body + b"xref\n0 %d\n" % size + b"".join(rows) + trailer


def inflate_streams(pdf: bytes) -> bytes:
    """Every Flate stream stored uncompressed: mutations then hit operators and text, not zlib."""
    def inflate(match: re.Match[bytes]) -> bytes:
        data = zlib.decompress(match.group(3))
        entries = re.sub(rb"/Length \d+( 0 R)?|/Filter/FlateDecode", b"", match.group(2))
        return match.group(1) + b"<</Length %d%s>>\nstream\n%s\nendstream" % (len(data), entries, data)

    stream = rb"(\d+ 0 obj\s*)<<([^<>]*?)>>\s*stream\r?\n(.*?)\r?\nendstream"
    return rebuild_xref(re.sub(stream, inflate, pdf, flags=re.S))


INFLATED = inflate_streams(SEED)
OBJECTS = [m.span() for m in re.finditer(rb"\d+ 0 obj.*?endobj\s", SEED, re.S)]
XREF = (SEED.rindex(b"xref"), SEED.rindex(b"trailer"))
NUMBERS = [m.span() for m in re.finditer(rb"(?<![\w.])-?\d+(\.\d+)?(?![\w.])", INFLATED)]
NAMES = [(m.span(), m.group()) for m in re.finditer(rb"/[A-Za-z][A-Za-z0-9]*", INFLATED)]
EXTREMES = [b"-1", b"0", b"-0.0", b"999999999", b"99999999999999999999", b"1e308", b"3.4e38"]


def flip_bits(rng: random.Random, pdf: bytes = SEED) -> bytes:
    data = bytearray(pdf)
    for _ in range(rng.randint(1, 20)):
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return bytes(data)


def cut_tail(rng: random.Random) -> bytes:
    return SEED[: rng.randrange(len(SEED))]


def duplicate_object(rng: random.Random) -> bytes:
    start, end = rng.choice(OBJECTS)
    at = rng.choice(OBJECTS)[rng.randrange(2)]
    return SEED[:at] + SEED[start:end] + SEED[at:]


def zero_xref(rng: random.Random) -> bytes:
    start, end = XREF
    return SEED[:start] + re.sub(rb"\d", b"0", SEED[start:end]) + SEED[end:]


def garble_region(rng: random.Random) -> bytes:
    at, length = rng.randrange(len(SEED)), rng.randint(1, 200)
    return SEED[:at] + rng.randbytes(length) + SEED[at + length:]


def flip_bits_in_content(rng: random.Random) -> bytes:
    return flip_bits(rng, INFLATED)


def extreme_numbers(rng: random.Random) -> bytes:
    pdf = INFLATED
    for start, end in sorted(rng.sample(NUMBERS, rng.randint(1, 5)), reverse=True):
        pdf = pdf[:start] + rng.choice(EXTREMES) + pdf[end:]
    return pdf


def swap_names(rng: random.Random) -> bytes:
    pdf = INFLATED
    for (start, end), _ in sorted(rng.sample(NAMES, rng.randint(1, 5)), reverse=True):
        pdf = pdf[:start] + rng.choice(NAMES)[1] + pdf[end:]
    return pdf


ODD_CELLS = ["", "99999999999999999999999", "9223372036854775808", "-9223372036854775809", "-1", "0", "1e308",
             "=SUM(A1:A9)", "@cmd", "+31 2", "\x00", "Dyzo\x07 vzw", "\x1b[31mrood", "13/13/2014", "31/02/2015",
             "99/99/9999", "Totaal", "ANTWOORD", "x" * 120, "(", "\\"]
QUESTION_NUMBERS = ["12", "0", "-3", "9223372036854775808", "99999999999999999999999", "1e308"]
PLAIN_ROW = ["13/01/2014", "RWO", "Medewerkers", "21"]


def odd_row(rng: random.Random) -> list[str]:
    return [rng.choice(ODD_CELLS) if rng.random() < 0.3 else value for value in PLAIN_ROW]


def odd_answer(rng: random.Random) -> bytes:
    rows = [odd_row(rng) for _ in range(rng.randint(1, 12))]
    # The next page starts with lines that fill only some columns: split rows, indented notes.
    continued = [[value if rng.random() < 0.4 else "" for value in odd_row(rng)] for _ in range(rng.randint(0, 4))]
    return trainings_answer(rng.choice(QUESTION_NUMBERS), rows, continued)


MUTATIONS: list[Callable[[random.Random], bytes]] = [
    flip_bits, cut_tail, duplicate_object, zero_xref, garble_region, flip_bits_in_content, extreme_numbers,
    swap_names, odd_answer,
]
# Errors that would say the pipeline, not the input, failed: a bug, a hang, a crash.
NOT_THE_INPUTS_FAULT = {"internal-error", "unpublishable", "timeout", "worker-died"}


def test_the_uncompressed_copy_reads_like_the_seed(tmp_path):
    """Else the content mutations would test a broken base, not damage to a good one."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "inflated.pdf").write_bytes(INFLATED)
    result = run_pipeline("--raw", raw, "--out", tmp_path / "out", "--quiet")
    assert result.returncode == 0, result.stderr
    assert len(read_csv(tmp_path / "out" / "agreements.csv")) == 89


@pytest.mark.fuzz
def test_every_mangled_copy_ends_in_data_or_a_clear_error(tmp_path):
    rng = random.Random(RANDOM_SEED)
    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(MUTANTS):
        mutation = rng.choice(MUTATIONS)
        (raw / f"{i:03d}-{mutation.__name__.replace('_', '-')}.pdf").write_bytes(mutation(rng))
    result = run_pipeline("--raw", raw, "--out", tmp_path / "out", "--jobs", "2", "--timeout", TIMEOUT_SECONDS,
                          "--quiet", timeout=600)

    assert result.returncode in (0, 1)
    assert "Traceback" not in result.stderr
    documents = read_csv(tmp_path / "out" / "documents.csv")
    assert len(documents) == MUTANTS
    errors = {d["document_id"]: d for d in documents if d["status"] == "error"}
    assert {d["status"] for d in documents} <= {"ok", "error"}
    assert all(d["error"] and "\n" not in d["error"] for d in errors.values())
    assert len(result.stderr.splitlines()) == len(errors)
    slugs = {c["document_id"]: c["observed"] for c in report_checks(tmp_path / "out", "document-read")
             if c["status"] == "fail"}
    assert slugs.keys() == errors.keys()
    # The limit is twenty times the slowest mutant: reaching it would be a hang, not load.
    assert set(slugs.values()) <= set(DOCUMENT_ERRORS) - NOT_THE_INPUTS_FAULT, Counter(slugs.values())
