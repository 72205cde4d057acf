-- A live migration's memory as libvirt on the source counts it (Nova's memory_*_bytes), in bytes;
-- null before the first report and for migrations recorded before the figures were kept.
ALTER TABLE migrations ADD COLUMN memory_total_bytes BIGINT;
ALTER TABLE migrations ADD COLUMN memory_processed_bytes BIGINT;
ALTER TABLE migrations ADD COLUMN memory_remaining_bytes BIGINT;
