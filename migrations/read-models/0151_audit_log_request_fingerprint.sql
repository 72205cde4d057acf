-- Which request of a shared (global) X-OpenStack-Request-Id an event is the effect of: the hash of
-- the client-named write that caused it (see requestFingerprint), so that "did this request already
-- take effect?" after a lost reply is asked of this very request. NULL for events of unnamed
-- requests, of virtplane itself, and of events recorded before this column existed.
ALTER TABLE audit_log ADD COLUMN request_fingerprint TEXT;
