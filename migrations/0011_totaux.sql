-- 0011: what makes the yearly reports cheap. A partial index of the cancelled
-- sessions, so that counting a year's cancellations reads only those. IF NOT EXISTS:
-- a ledger brought back to an older schema by hand keeps its indexes.
CREATE INDEX IF NOT EXISTS session_annulee ON session (date) WHERE annulee_le IS NOT NULL;
