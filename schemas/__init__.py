"""The data contract: Pandera models of the articles, images and findings tables."""

from .articles import BYLINE_SOURCES, ROLES, ArticlesSchema
from .findings import SEVERITIES, FindingsSchema
from .images import ImagesSchema

__all__ = [
    "BYLINE_SOURCES",
    "ROLES",
    "SEVERITIES",
    "ArticlesSchema",
    "FindingsSchema",
    "ImagesSchema",
]
