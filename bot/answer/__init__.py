"""Answering: the safety layer, then the offline or LLM composer, behind one `Assistant`."""
