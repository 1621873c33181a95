"""The reminder scheduler: polls the ledger and reaches each user exactly once."""
