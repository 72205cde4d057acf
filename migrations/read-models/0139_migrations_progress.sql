-- How far a live migration got: percent of the guest's memory copied, as the cluster reports it.
ALTER TABLE migrations ADD COLUMN progress INTEGER;
