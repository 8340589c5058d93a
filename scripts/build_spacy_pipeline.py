"""Build the blank Chinese spaCy pipeline (jieba segmenter) that config.yml's SpacyNLP loads.

Trained spaCy pipelines come from a host this machine cannot reach, so `make setup` builds
a blank one locally. Usage: build_spacy_pipeline.py OUTPUT_DIR
"""

import sys
from pathlib import Path

import spacy


def main(output: Path) -> None:
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    probe = [token.text for token in nlp("请问工程师几点到? When will the engineer arrive?")]
    if "工程师" not in probe or "engineer" not in probe:
        raise SystemExit(f"tokenizer check failed: {probe}")
    output.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    print(f"spaCy pipeline written to {output}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]))
