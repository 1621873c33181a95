"""Category rules: "anything from Uber is Transport", used by imports (``services.rules``)."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from assistant.services import rules as rule_service
from assistant.services.common import Page
from assistant.services.rules import RulePublic

from ..deps import CurrentUser, IdPath, SessionDep
from ..errors import ERROR_RESPONSES

router = APIRouter(prefix="/rules", tags=["rules"], responses={401: ERROR_RESPONSES[401]})


class RuleIn(BaseModel):
    pattern: str = Field(min_length=1, max_length=200, description="Text to look for in the merchant or description")
    category: str | int = Field(description="A category name or id")


@router.get("", response_model=Page[RulePublic])
def get_rules(user: CurrentUser, session: SessionDep) -> Page[RulePublic]:
    items = rule_service.list_rules(session, user)
    return Page(items=items, total=len(items))


@router.post("", status_code=status.HTTP_201_CREATED, response_model=RulePublic, responses={404: ERROR_RESPONSES[404]})
def post_rule(body: RuleIn, user: CurrentUser, session: SessionDep) -> RulePublic:
    """Add a rule (the same text again re-points it to the new category)."""
    return rule_service.add_rule(session, user, body.pattern, body.category)


@router.delete("/{rule_id}", status_code=status.HTTP_204_NO_CONTENT, responses={404: ERROR_RESPONSES[404]})
def delete_rule(rule_id: IdPath, user: CurrentUser, session: SessionDep) -> None:
    rule_service.delete_rule(session, user, rule_id)
