"""`recourse ask --jsonl`: one JSON line out for every line in, whatever the line holds.

A batch is often a hotline's or an evaluator's whole file, so one hostile line must never end
it: a line that is not JSON, not an object, too deep, holds a 5,000-digit number, a lone
surrogate or invalid UTF-8, or fields of the wrong type gets `{"id": …, "error": …}` and the
next line is read. Error messages name the field and the problem, never the text sent.
"""

from __future__ import annotations

import json
import re
from typing import IO, Callable, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

MAX_LINE = 200_000  # bytes: a message is at most 50,000 characters, plus history
MAX_HISTORY_ITEMS = 50
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def scrub(text: str) -> str:
    """Replace lone surrogates (valid in JSON escapes, unencodable as UTF-8) with U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


class AskRequest(BaseModel):
    """The fields a line may carry; anything else is ignored."""

    model_config = ConfigDict(extra="ignore", strict=True)

    q: str = ""
    id: str | int | None = None
    state: str | None = Field(default=None, max_length=64)
    lang: str | None = Field(default=None, max_length=16)
    persona: Literal["victim", "staff"] = "victim"
    history: list[str] = Field(default_factory=list, max_length=MAX_HISTORY_ITEMS)

    @field_validator("q", "state", "lang", "id")
    @classmethod
    def _no_surrogates(cls, value):
        return scrub(value) if isinstance(value, str) else value

    @field_validator("history")
    @classmethod
    def _history_clean(cls, value: list[str]) -> list[str]:
        return [scrub(h) for h in value]


def _request_id(obj) -> str | int | None:
    """The id to echo in an error line, only when it is a plain string or integer."""
    raw = obj.get("id") if isinstance(obj, dict) else None
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        return None
    return scrub(raw)[:200] if isinstance(raw, str) else raw


def parse_line(raw: bytes) -> AskRequest | dict:
    """A checked request, or the error object to print for this line."""
    if len(raw) > MAX_LINE:
        return {"id": None, "error": f"line longer than {MAX_LINE} bytes"}
    text = raw.decode("utf-8", errors="replace")  # invalid UTF-8 becomes U+FFFD, not a crash
    try:
        obj = json.loads(text)
    except RecursionError:
        return {"id": None, "error": "not JSON: nested too deeply"}
    except ValueError as exc:  # JSONDecodeError, and int() refusing a 5,000-digit number
        reason = f"at column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else "number too long"
        return {"id": None, "error": f"not JSON ({reason})"}
    if not isinstance(obj, dict):
        return {"id": None, "error": f"each line must be a JSON object, not {type(obj).__name__}"}
    try:
        return AskRequest.model_validate(obj)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'line'}: {e['msg']}"
                             for e in exc.errors(include_input=False, include_url=False))
        return {"id": _request_id(obj), "error": problems}


def write_line(out: IO[str], obj: dict) -> None:
    try:
        line = json.dumps(obj, ensure_ascii=False, default=str)
        line.encode("utf-8")
    except (UnicodeEncodeError, ValueError):
        line = json.dumps(obj, ensure_ascii=True, default=str)
    out.write(line + "\n")
    out.flush()


def run_batch(lines: IO[bytes], out: IO[str], answer: Callable[[AskRequest], dict]) -> int:
    """Answer every non-blank line; returns how many lines got an error."""
    errors = 0
    for raw in lines:
        if not raw.strip():
            continue
        req = parse_line(raw)
        if isinstance(req, dict):
            errors += 1
            write_line(out, req)
            continue
        try:
            write_line(out, answer(req))
        except Exception as exc:  # an unexpected fault answers this line, not the batch
            errors += 1
            write_line(out, {"id": req.id, "error": f"could not answer ({type(exc).__name__})"})
    return errors
