"""Ledger services: plain functions over a session, acting for one user.

They validate, write and flush, but never commit: the caller's unit of work (a request, a tool
call, a job) owns the transaction, so a failure anywhere leaves nothing half-written.
"""
