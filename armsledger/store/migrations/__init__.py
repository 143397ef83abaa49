"""Schema migrations as numbered SQL files (``NNNN_name.sql``), applied in order; see postgres.py."""
