"""Article → Claims. See pipeline.py for the order of the steps."""
from armsledger.extract.pipeline import Extractor, extract, extract_many

__all__ = ["Extractor", "extract", "extract_many"]
