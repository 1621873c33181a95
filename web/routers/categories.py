"""The user's categories: the defaults plus their own, with a necessity score (1-10)."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from assistant.models import CategoryKind, CategoryPublic
from assistant.services.categories import create_category, list_categories, update_category
from assistant.services.common import Page

from ..deps import CurrentUser, IdPath, PagingDep, SessionDep
from ..errors import ERROR_RESPONSES

router = APIRouter(prefix="/categories", tags=["categories"], responses={401: ERROR_RESPONSES[401]})


class CategoryIn(BaseModel):
    name: str = Field(min_length=1, max_length=60)
    necessity_score: int = Field(default=5, ge=1, le=10)
    kind: CategoryKind = CategoryKind.EXPENSE
    group: str | None = Field(default=None, max_length=60)


class CategoryUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=60)
    necessity_score: int | None = Field(default=None, ge=1, le=10)
    kind: CategoryKind | None = None
    group: str | None = Field(default=None, max_length=60)
    archived: bool | None = None
    fixed: bool | None = Field(default=None, description="A fixed monthly payment (rent, bills): not projected")


@router.get("", response_model=Page[CategoryPublic])
def get_categories(
    user: CurrentUser, session: SessionDep, paging: PagingDep, kind: CategoryKind | None = None
) -> Page[CategoryPublic]:
    cats = list_categories(session, user, kind)
    page = cats[paging.offset : paging.offset + paging.limit]
    return Page(items=[CategoryPublic.model_validate(c) for c in page], total=len(cats))


@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=CategoryPublic, responses={409: ERROR_RESPONSES[409]}
)
def post_category(body: CategoryIn, user: CurrentUser, session: SessionDep) -> CategoryPublic:
    cat = create_category(
        session, user, name=body.name, kind=body.kind, necessity_score=body.necessity_score, group=body.group
    )
    return CategoryPublic.model_validate(cat)


@router.patch(
    "/{category_id}",
    response_model=CategoryPublic,
    responses={404: ERROR_RESPONSES[404], 409: ERROR_RESPONSES[409]},
)
def patch_category(category_id: IdPath, body: CategoryUpdate, user: CurrentUser, session: SessionDep) -> CategoryPublic:
    cat = update_category(session, user, category_id, **body.model_dump(exclude_unset=True))
    return CategoryPublic.model_validate(cat)
