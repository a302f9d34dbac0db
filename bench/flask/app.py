"""bench/flask/app.py: the rules of bench/rules.yaml written by hand, as a
Pyrus user would write a bot in Flask (the shape of Pyrus's own sample).

    PYRUS_SECURITY_KEY=... gunicorn -w 2 -b 127.0.0.1:28084 app:app
"""

import hashlib
import hmac
import json
import os
import re
from datetime import date

from flask import Flask, Response, abort, request

app = Flask(__name__)
KEY = os.environ["PYRUS_SECURITY_KEY"].encode()
STOCKTAKE = date(2025, 3, 10)
HURRY = re.compile(r"asap|urgent|speed|any news", re.IGNORECASE)


def verify(body, sig):
    """X-Pyrus-Sig is the hex HMAC-SHA1 of the exact body bytes."""
    want = hmac.new(KEY, body, hashlib.sha1).hexdigest()
    return hmac.compare_digest(want.encode(), sig.lower().encode())


def field_value(f):
    value = f.get("value")
    if value is None or value == "":
        return None
    kind = f.get("type")
    if kind == "table":
        return [{c["name"]: field_value(c) for c in row.get("cells", [])}
                for row in value if not row.get("deleted")]
    if kind == "multiple_choice":
        return value.get("choice_names") or None
    return value


class Fields:
    """field(key): a form field's value by name or code, None when empty."""

    def __init__(self, task):
        self.by_key = {}
        for f in task.get("fields", []):
            for key in (f.get("code"), f.get("name")):
                if key and key not in self.by_key:
                    self.by_key[key] = f

    def __call__(self, key):
        f = self.by_key.get(key)
        return field_value(f) if f else None


def parse_settings(text):
    """The bot's Settings box: a JSON object, else no settings."""
    try:
        settings = json.loads(text or "{}")
    except ValueError:
        return {}
    return settings if isinstance(settings, dict) else {}


def show(value):
    """Prints a value as a person writes it: 1800, 18450.76, None as nothing."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def catalog_name(catalog):
    """A catalog prints as its chosen rows' first column."""
    names = [row[0] for row in catalog.get("rows", []) if row]
    if names:
        return ", ".join(names)
    values = catalog.get("values") or []
    return values[0] if values else ""


def decide(hook):
    """Applies the rules in order; None for an empty answer."""
    task = hook.get("task")
    if not task:
        return None
    comments = task.get("comments") or []
    comment = comments[-1] if comments else {}
    author = comment.get("author")
    bot_id = hook.get("user_id") or 0
    if bot_id and author and author.get("id") == bot_id:
        return None  # never answer its own comment

    settings = parse_settings(hook.get("bot_settings"))
    field = Fields(task)
    form_id = task.get("form_id") or 0
    step = task.get("current_step") or 0
    text = comment.get("text") or ""
    texts, approval, reassign = [], None, None

    if hook.get("event") == "close" or task.get("is_closed"):
        texts.append(f"Request {task['id']} is closed. Final total: {show(field('total'))}.")
        return answer(texts, approval, reassign)  # stop

    if (form_id == 52210 and author and author.get("email") == settings.get("cfo_email")
            and text.strip().lower().startswith("approve")):
        texts.append(f'{show(author.get("first_name"))} approved in a comment ("{text}"), '
                     f"so the bot approves step {step}.")
        approval = approval or "approved"

    total = field("total") or 0
    limit = settings.get("limit")
    if form_id == 52210 and limit is not None and total > limit:
        texts.append(f"Total {show(field('Total amount'))} is over the limit of {show(limit)}; "
                     f"sent to the CFO ({show(settings.get('cfo_email'))}).")
        reassign = reassign or {"email": "cfo@example.com"}

    if form_id == 52210 and 0 < total <= 2000 and field("Budget approved") == "checked":
        texts.append(f"Approved automatically: {show(field('total'))} is within the 2000 limit "
                     f"for budgeted purchases (cost center {show(field('cost_center'))}).")
        approval = approval or "approved"

    dear = [row for row in field("Items") or [] if (row.get("Unit price") or 0) > 1500]
    if form_id == 52210 and dear:
        names = ", ".join(show(row.get("Item")) for row in dear)
        texts.append(f"Unit price over 1500 for: {names}. Please attach three supplier quotes.")

    supplier = field("Supplier")
    if (form_id == 52210 and "Hardware" in (field("Category") or [])
            and supplier and supplier["values"][1] != "Moscow"):
        texts.append(f"Hardware from {catalog_name(supplier)} ({supplier['values'][1]}): "
                     "please add transport insurance to the order.")

    delivery = field("Delivery date")
    if form_id == 52210 and delivery and date.fromisoformat(delivery) >= STOCKTAKE:
        texts.append(f"Delivery on {delivery} falls after the stocktake of 2025-03-10: "
                     "confirm the warehouse has room.")

    requester = field("Requester") or {}
    if (form_id == 52210 and (author or {}).get("email") == requester.get("email")
            and HURRY.search(text)):
        texts.append(f"Noted, {show((author or {}).get('first_name'))}: request {task['id']} "
                     f"is at step {step}, and purchasing has it in their inbox.")

    if form_id == 52210 and (field("cost_center") or "").strip() == "":
        texts.append(f'Please fill in "Cost center": finance cannot book request {task["id"]} '
                     "without it.")

    responsible = task.get("responsible") or {}
    if form_id == 0 and responsible.get("id") == bot_id:
        texts.append(f"Hello {show((author or {}).get('first_name'))}, this bot only handles "
                     f'purchase requests. "{task.get("subject", "")}" goes to the office manager.')
        reassign = reassign or {"email": "elena.sokolova@example.com"}

    if form_id == 52211 and (field("Сумма") or 0) >= 100000:
        who = field("Поставщик")
        texts.append(f"Сумма {show(field('Сумма'))} ₽ ({catalog_name(who) if who else ''}), "
                     "нужна виза финансового директора.")
        reassign = reassign or {"id": 100210}

    return answer(texts, approval, reassign)


def answer(texts, approval, reassign):
    out = {}
    if texts:
        out["text"] = "\n\n".join(texts)
    if approval:
        out["approval_choice"] = approval
    if reassign:
        out["reassign_to"] = reassign
    return out or None


def encode(value):
    """JSON as Go's encoding/json writes it, so answers compare byte for byte."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text + "\n"


@app.post("/")
def webhook():
    body = request.get_data()
    if not verify(body, request.headers.get("X-Pyrus-Sig", "")):
        abort(401)
    try:
        hook = json.loads(body)
    except ValueError:
        abort(400)
    out = decide(hook)
    if out is None:
        return Response(status=200)
    return Response(encode(out), mimetype="application/json")
