-- arc4j store schema, version 3: what the node that takes the leader lease needs to record the switchover in the
-- compliance evidence (GA 1383 双机热备) without anyone entering it: when the leader was last seen holding the lease
-- (it writes seen at every check), whether it handed over on purpose (a switchover test), and the node the new
-- leader is to hand back to once that node waits as the standby again (a test fails over and back).
ALTER TABLE arc4j_leader ADD COLUMN IF NOT EXISTS seen timestamptz;
ALTER TABLE arc4j_leader ADD COLUMN IF NOT EXISTS handed_over boolean NOT NULL DEFAULT false;
ALTER TABLE arc4j_leader ADD COLUMN IF NOT EXISTS hand_back_to text;
