"""The data contract: Pandera models of the articles, images and findings tables."""

from corpus_qa.schemas.articles import BYLINE_SOURCES, ROLES, ArticlesSchema
from corpus_qa.schemas.findings import SEVERITIES, FindingsSchema
from corpus_qa.schemas.images import ImagesSchema

__all__ = [
    "BYLINE_SOURCES",
    "ROLES",
    "SEVERITIES",
    "ArticlesSchema",
    "FindingsSchema",
    "ImagesSchema",
]
