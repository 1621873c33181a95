"""The spoken eval user's ledger: what a case names exists before it runs, as for a user who says it
(seeded over REST, removed afterwards); and the calls a case expects."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import httpx


def expected_parts(case: dict[str, Any]) -> list[dict[str, Any]]:
    """The calls a case expects (one, or each of an ``all``), without the no-tool expectation."""
    exp = case["expect"]
    parts = exp.get("all", [exp])
    return [p for p in parts if p.get("tool")]


_TOKEN = r"[\w+&'.-]*"


def display_name(text: str, name: str) -> str:
    """How the case itself writes ``name`` ("stop tracking disney+" -> "Disney+"), else ``name``."""
    m = re.search(_TOKEN + re.escape(name) + _TOKEN, text, re.IGNORECASE)
    word = (m.group(0) if m else name).strip(".'-") or name
    return word[:1].upper() + word[1:]


class Ledger:
    """A user's REST view, to seed what a case names before it runs (as the user would have
    added it earlier: by chat, the web app or REST) and to remove the seeds afterwards."""

    def __init__(self, http: httpx.AsyncClient, token: str) -> None:
        self.http, self.headers = http, {"Authorization": f"Bearer {token}"}
        self.seeded: list[str] = []  # REST paths of what was added for the current case

    async def _get(self, path: str, **params: Any) -> list[dict[str, Any]]:
        r = await self.http.get(path, headers=self.headers, params=params)
        r.raise_for_status()
        return list(r.json()["items"])

    async def _post(self, path: str, body: dict[str, Any], keep: bool = True) -> None:
        r = await self.http.post(path, headers=self.headers, json=body)
        r.raise_for_status()
        if keep and "id" in r.json():
            self.seeded.append(f"{path}/{r.json()['id']}")

    async def seed(self, case: dict[str, Any], today: dt.date) -> list[str]:
        """Add what the case's expected calls act on and the user lacks; returns what was added."""
        added: list[str] = []
        text = case["text"]
        for part in expected_parts(case):
            tools = part["tool"] if isinstance(part["tool"], list) else [part["tool"]]
            args = part.get("args", {})
            name = str(args.get("name") or "")
            owned = {"cancel_subscription", "update_subscription"} & set(tools)
            if owned and name and not await self._get("/api/subscriptions", name=name):
                sub = display_name(text, name)
                await self._post(
                    "/api/subscriptions",
                    {"name": sub, "amount": "12.99", "cadence": "monthly",
                     "next_renewal": (today + dt.timedelta(days=12)).isoformat()},
                )  # fmt: skip
                added.append(f"subscription {sub}")
            if {"contribute_to_goal", "goal_progress"} & set(tools) and name:
                goals = await self._get("/api/goals")
                if not any(name.lower() in g["name"].lower() for g in goals):
                    goal = display_name(text, name)
                    await self._post("/api/goals", {"name": goal, "target_amount": "5000"})
                    added.append(f"goal {goal}")
            if {"delete_transaction", "update_transaction"} & set(tools) and not await self._get(
                "/api/transactions", limit=1
            ):
                category = "Shopping" if args.get("category") != "Shopping" else "Other"
                body = {"kind": "expense", "amount": "24.00", "description": "lunch", "category": category}
                await self._post("/api/transactions", body, keep=False)  # the user's own history: kept
                added.append("a transaction")
            source = args.get("from_category")
            source = source[0] if isinstance(source, list) and source else source  # a list: any of them
            if "move_budget" in tools and source:
                month = today.strftime("%Y-%m")
                r = await self.http.get("/api/budgets/summary", headers=self.headers, params={"month": month})
                r.raise_for_status()
                src = str(source).lower()
                if not any(c["category"].lower() == src and c.get("budget") for c in r.json()["categories"]):
                    put = await self.http.put(f"/api/budgets/{source}", headers=self.headers, json={"amount": "600"})
                    put.raise_for_status()
                    added.append(f"budget {source}")
        return added

    async def clean(self) -> None:
        """Remove the subscriptions and goals seeded for the case (a later case starts without them)."""
        for path in self.seeded:
            await self.http.delete(path, headers=self.headers)
        self.seeded.clear()
