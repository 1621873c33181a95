"""BudgetWise core: settings, database, ledger services, the agent, voice and the scheduler."""

__version__ = "0.1.0"
