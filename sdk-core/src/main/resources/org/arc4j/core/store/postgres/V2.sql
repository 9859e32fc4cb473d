-- arc4j store schema, version 2: the leader epoch of the nodes of one centre. The node that takes the leader lease
-- increments the epoch; an append made for an epoch that is no longer this row's is refused in its own transaction
-- (which reads the row FOR SHARE, so a takeover waits for appends in flight and appends after it see the new epoch).
-- IF NOT EXISTS: centres of the first multi-node release created the table themselves.
CREATE TABLE IF NOT EXISTS arc4j_leader (
    id    smallint    PRIMARY KEY,
    epoch bigint      NOT NULL,
    node  text        NOT NULL,
    since timestamptz NOT NULL
);
