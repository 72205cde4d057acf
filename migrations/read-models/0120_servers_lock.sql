-- Nova's locked_reason (2.73+) and who locked the server (an admin's lock needs an admin to lift).
ALTER TABLE servers ADD COLUMN locked_reason TEXT;
ALTER TABLE servers ADD COLUMN locked_by TEXT;
