-- 0016: the date index of entries also holds the normalised label, so that the
-- duplicate check of an entry (same day, same label) reads the entries with that
-- label instead of every entry of the day, which made large imports superlinear.
-- Queries by date range use it as before (the date comes first).
DROP INDEX ecriture_date;
CREATE INDEX ecriture_date ON ecriture (date, lower(trim(libelle)));
