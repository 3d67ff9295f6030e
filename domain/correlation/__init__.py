"""The correlation engine's analyst surface: stored models, settings, reports, backtests."""
