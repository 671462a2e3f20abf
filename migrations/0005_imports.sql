-- 0005: the files already imported, by a fingerprint of their bytes, so that
-- importing the same CSV twice does not count its sessions or money twice.

CREATE TABLE import_fichier (
    empreinte  TEXT NOT NULL,
    quoi       TEXT NOT NULL,
    nom        TEXT NOT NULL,
    lignes     INTEGER NOT NULL,
    importe_le TEXT NOT NULL,
    PRIMARY KEY (quoi, empreinte)
);
