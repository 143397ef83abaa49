"""armsledger: a sourced, deduplicated ledger of international arms transfers, from news articles."""
__version__ = "0.1.0"


def __getattr__(name: str):
    # lazy, so `import armsledger` stays cheap for the CLI's --help
    if name in ("Ledger", "IngestReport", "extract_paths", "read_articles"):
        from armsledger import api

        return getattr(api, name)
    if name in ("Article", "Claim", "Deal", "Evidence"):
        from armsledger import models

        return getattr(models, name)
    if name == "extract":
        from armsledger.extract import extract

        return extract
    raise AttributeError(name)
