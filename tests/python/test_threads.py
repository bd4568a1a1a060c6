"""Thread safety and GIL release."""

import threading
import time

from conftest import read_lines


def test_encode_batch_from_two_threads(golden_tokenizer, corpus_files):
    lines = [line for path in corpus_files for line in read_lines(path)]
    expected = [golden_tokenizer.encode(line).ids for line in lines]
    results = {}
    errors = []

    def work(name, texts):
        try:
            for _ in range(3):
                results[name] = [e.ids for e in golden_tokenizer.encode_batch(texts)]
        except Exception as error:  # reported by the assert below
            errors.append(error)

    threads = [threading.Thread(target=work, args=("forward", lines)),
               threading.Thread(target=work, args=("backward", lines[::-1]))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results["forward"] == expected
    assert results["backward"] == expected[::-1]


def test_encode_batch_releases_gil(golden_tokenizer, corpus_files):
    # The main thread keeps running Python code while another thread is
    # inside encode_batch. With the GIL held, it could not take a single step
    # between the call's start and end.
    lines = [line for path in corpus_files for line in read_lines(path)] * 20
    window = {}
    started = threading.Event()

    def work():
        started.set()
        window["start"] = time.perf_counter()
        golden_tokenizer.encode_batch(lines, threads=1)
        window["end"] = time.perf_counter()

    thread = threading.Thread(target=work)
    thread.start()
    started.wait()
    ticks = []
    while thread.is_alive():
        ticks.append(time.perf_counter())
    thread.join()
    assert window["end"] - window["start"] > 0.05, "batch too small to measure"
    inside = [t for t in ticks if window["start"] < t < window["end"]]
    assert len(inside) > 100
