"""rjieba, as the NLP layer uses it, segments exactly as jieba with the same user dictionary.

Every text of corpus/ (the seed, the corpus tables and corpus/real/, collected through the readers), its
analysis form, the labelled indicators and some ASCII edge cases: ``segment`` equals ``jieba.lcut``
token for token; ``is_word`` equals jieba's ``FREQ[word] > 0`` for every entry of jieba's dictionary;
the token strings equal those of spaCy's ``blank("zh")`` with the jieba segmenter (the pipeline
before issue 15); a ``match: tokens`` lexicon entry still matches whole tokens only (spaCy, lazily).
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from auditor.model import Cell
from auditor.readers import iter_inputs, read_submission
from auditor.resources import data_dir
from auditor.text.nlp import is_word, segment, tokens_of
from auditor.text.normalize import analysis_form
from tests.conftest import CORPUS, ROOT, SEED

ASCII_CASES = [
    "三门县农村生活污水处理设施建设工程(2021-2025)", "agri-001", "1-3月", "2018-2022年", "C++开发", "PM2.5浓度",
    "1.2.3版", "A-1号楼", "3.5%以上", "≥≥90%", "a_b&c#d", "\uff37\uff49\uff0d\uff26\uff49覆盖",
    "wifi覆盖率100%", "B超检查", "e-mail",
    "5G基站", "3D打印", "1.5-2.5%", "10-20万元", "COVID-19疫情", "  两个空格  ", "换行\n之后", "a b  c\t d",
]  # fmt: skip


def _cell_texts(obj: object, out: list[str]) -> None:
    if isinstance(obj, Cell):
        out.append(obj.text)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            _cell_texts(getattr(obj, f.name), out)
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            _cell_texts(item, out)
    elif isinstance(obj, dict):
        for item in obj.values():
            _cell_texts(item, out)


@cache
def corpus_texts() -> list[str]:
    files, _ = iter_inputs(CORPUS)
    assert SEED in files and any(p.parent.name == "real" for p in files)
    texts: list[str] = []
    for path in files:
        if path.parent not in (CORPUS, CORPUS / "real"):
            continue
        _cell_texts(read_submission(path), texts)
    for line in (CORPUS / "labels" / "indicators.tsv").read_text(encoding="utf-8").splitlines():
        texts += line.split("\t")
    texts += ASCII_CASES
    return sorted(set(texts) | {analysis_form(text) for text in texts})


@cache
def jieba_module():  # type: ignore[no-untyped-def]
    jieba = pytest.importorskip("jieba")
    jieba.setLogLevel(60)
    jieba.load_userdict(str(data_dir("rules") / "domain_dict.txt"))
    return jieba


def test_rjieba_segments_every_corpus_text_as_jieba_does() -> None:
    jieba = jieba_module()
    texts = corpus_texts()
    assert len(texts) > 5000
    differ = [(text, jieba.lcut(text), segment(text)) for text in texts if jieba.lcut(text) != segment(text)]
    assert not differ, differ[:5]


def test_is_word_is_jiebas_dictionary() -> None:
    jieba = jieba_module()
    freq = jieba.dt.FREQ
    assert len(freq) > 400_000
    differ = [word for word, count in freq.items() if (count > 0) != is_word(word)]
    assert not differ, differ[:10]
    assert is_word("网格员") and is_word("预算执行率") and not is_word("安格员")


def test_tokens_are_the_spacy_pipelines() -> None:
    """The token strings the spaCy ``blank("zh")`` + jieba pipeline gave (each with its trailing space)."""
    pytest.importorskip("spacy")
    jieba_module()
    import spacy

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    texts = [*ASCII_CASES, *corpus_texts()[::7]]
    for text in texts:
        doc = nlp.make_doc(text)
        expected = tuple(token.text_with_ws for token in doc)
        assert tokens_of(text) == expected, text
        assert "".join(tokens_of(text)) == text


def test_token_lexicon_entries_match_whole_tokens(tmp_path: Path) -> None:
    """``match: tokens`` (an extension point, spaCy's PhraseMatcher) still works; text entries need no spaCy."""
    pytest.importorskip("spacy")
    script = f"""
import sys
from pathlib import Path
from auditor.resources import configure
from auditor.text.nlp import analyze
assert "spacy" not in sys.modules
analyze("加强管理，提高效率")
assert "spacy" not in sys.modules, "spaCy imported without a token pattern"
lexicon = Path({str(tmp_path / "extra.yaml")!r})
lexicon.write_text("phrases:\\n  token_test:\\n    - {{text: 网格, match: tokens}}\\n    - 指挥系统\\n",
                   encoding="utf-8")
configure(extra_packs=[lexicon])
whole = analyze("推进网格 建设").phrases_of("token_test")
inside = analyze("网格员巡查").phrases_of("token_test")
text = analyze("管理指挥系统").phrases_of("token_test")
assert [(m.start, m.end, m.text) for m in whole] == [(2, 4, "网格")], whole
assert inside == (), inside
assert [(m.start, m.end) for m in text] == [(2, 6)], text
assert "spacy" in sys.modules
print("ok")
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr
