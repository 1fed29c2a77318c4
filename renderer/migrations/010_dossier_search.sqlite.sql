-- Parcours renderer storage, migration 10 on SQLite: the agents' text search finds a word
-- inside the dossiers' folded text (`search`, renderer/backoffice/dossiers.py) through a
-- trigram index (FTS5 with the trigram tokenizer, which answers `LIKE '%mot%'` for words of
-- three letters or more) instead of reading every visible dossier. The index holds no copy
-- of the text (content='dossiers'); triggers keep it in step with the table.
CREATE VIRTUAL TABLE dossiers_search USING fts5(
    search, content='dossiers', content_rowid='rowid', tokenize='trigram');
INSERT INTO dossiers_search (dossiers_search) VALUES ('rebuild');
CREATE TRIGGER dossiers_search_insert AFTER INSERT ON dossiers BEGIN
    INSERT INTO dossiers_search (rowid, search) VALUES (new.rowid, new.search);
END;
CREATE TRIGGER dossiers_search_delete AFTER DELETE ON dossiers BEGIN
    INSERT INTO dossiers_search (dossiers_search, rowid, search)
        VALUES ('delete', old.rowid, old.search);
END;
CREATE TRIGGER dossiers_search_update AFTER UPDATE OF search ON dossiers BEGIN
    INSERT INTO dossiers_search (dossiers_search, rowid, search)
        VALUES ('delete', old.rowid, old.search);
    INSERT INTO dossiers_search (rowid, search) VALUES (new.rowid, new.search);
END;
