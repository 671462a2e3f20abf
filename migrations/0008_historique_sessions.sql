-- 0008: `ici session corrige` may change any field of a session; what it changed is
-- kept, so that `ici session show N` tells what was typed first, what replaced it,
-- when and why. One row per field changed; rows are never changed nor deleted.
-- And `ici session list --saisies-depuis aujourd'hui` ("what did I enter today") reads
-- the sessions recorded since then through an index, not the whole table.

CREATE INDEX session_cree_le ON session (cree_le);

CREATE TABLE session_correction (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES session (id),
    fait_le     TEXT NOT NULL,
    champ       TEXT NOT NULL,
    avant       TEXT,
    apres       TEXT,
    motif       TEXT
);
CREATE INDEX session_correction_session ON session_correction (session_id, id);

CREATE TRIGGER session_correction_definitive_modification BEFORE UPDATE ON session_correction
BEGIN
    SELECT RAISE(ABORT, 'l''historique d''une session ne se modifie pas');
END;

CREATE TRIGGER session_correction_definitive_suppression BEFORE DELETE ON session_correction
BEGIN
    SELECT RAISE(ABORT, 'l''historique d''une session ne se modifie pas');
END;
