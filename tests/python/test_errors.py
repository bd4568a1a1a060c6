"""C++ errors reach Python as the matching exception types."""

import pytest

import tokforge


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.json"):
        tokforge.Tokenizer.from_file(tmp_path / "missing.json")


def test_invalid_json():
    with pytest.raises(ValueError, match="not a valid tokenizer.json"):
        tokforge.Tokenizer.from_str("{not json")


def test_unsupported_component(golden_tokenizer):
    import json

    document = json.loads(golden_tokenizer.to_str())
    document["model"]["type"] = "NoSuchModel"
    with pytest.raises((NotImplementedError, ValueError), match="NoSuchModel"):
        tokforge.Tokenizer.from_str(json.dumps(document))


def test_wrong_argument_types(golden_tokenizer):
    with pytest.raises(TypeError, match="text must be str, got bytes"):
        golden_tokenizer.encode(b"bytes")
    with pytest.raises(TypeError, match="single str"):
        golden_tokenizer.encode_batch("one text")
    with pytest.raises(TypeError, match=r"texts\[1\] must be str, got int"):
        golden_tokenizer.encode_batch(["ok", 3])
    with pytest.raises(UnicodeEncodeError):
        golden_tokenizer.encode("lone surrogate \ud800")


def test_save_errors(golden_tokenizer, tmp_path):
    with pytest.raises(ValueError, match="it is a directory"):
        golden_tokenizer.save(tmp_path)
    with pytest.raises(FileNotFoundError):
        golden_tokenizer.save(tmp_path / "no" / "such" / "dir" / "tokenizer.json")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(FileExistsError, match="cannot create the folder"):
        golden_tokenizer.save_pretrained(blocker)


def test_training_errors(tmp_path):
    trainer = tokforge.BpeTrainer(vocab_size=300, show_progress=False)
    with pytest.raises(FileNotFoundError, match="nowhere.txt"):
        trainer.train(tmp_path / "nowhere.txt")
    with pytest.raises(ValueError, match="no text"):
        trainer.train_from_iterator(iter([]))
    with pytest.raises(TypeError, match="got int"):
        trainer.train_from_iterator([1, 2])
    with pytest.raises(TypeError, match="decode bytes first"):
        trainer.train_from_iterator([b"bytes"])
    with pytest.raises(ValueError, match="format must be"):
        trainer.train(tmp_path, format="xml")
    with pytest.raises(ValueError, match="files is empty"):
        trainer.train([])

    small = tokforge.BpeTrainer(vocab_size=10, show_progress=False)
    with pytest.raises(ValueError, match="use a vocab size of at least 256"):
        small.train_from_iterator(["some text"])

    bad_jsonl = tmp_path / "data.jsonl"
    bad_jsonl.write_text('{"text": "fine"}\n{"body": "no text field"}\n')
    with pytest.raises(ValueError, match="data.jsonl"):
        trainer.train(bad_jsonl)


def test_iterator_exception_propagates():
    def broken():
        yield "first line\n"
        raise KeyError("from the generator")

    trainer = tokforge.BpeTrainer(vocab_size=300, show_progress=False)
    with pytest.raises(KeyError, match="from the generator"):
        trainer.train_from_iterator(broken())


def test_progress_callback_exception_propagates(corpus_files, monkeypatch):
    from tokforge import _trainer

    class Failing:
        def update(self, stage, done, total, unit):
            raise RuntimeError(f"display failed at {stage}")

        def close(self):
            pass

    monkeypatch.setattr(_trainer, "make_progress", lambda enabled: Failing())
    trainer = tokforge.BpeTrainer(vocab_size=300)
    with pytest.raises(RuntimeError, match="display failed at counting"):
        trainer.train(corpus_files, allow_nul_bytes=True)


@pytest.mark.parametrize("options, message", [
    (dict(vocab_size=0), "vocab_size must be at least 1"),
    (dict(min_frequency=-1), "min_frequency must be at least 0"),
    (dict(max_token_length=0), "max_token_length must be at least 1"),
    (dict(threads=-2), "threads must be at least 0"),
    (dict(special_tokens=[""]), "must not be empty"),
])
def test_trainer_option_errors(options, message):
    with pytest.raises(ValueError, match=message):
        tokforge.BpeTrainer(**options)
