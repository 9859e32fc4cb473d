-- arc4j store schema, version 1: the record log, its position counter, idempotency keys and the case index.
-- Positions come from one counter row that every appending transaction locks until it commits, so positions
-- become visible in increasing order (a reader polling "position >= n" never misses one committed later below n).
CREATE TABLE arc4j_counter (
    id            smallint PRIMARY KEY CHECK (id = 1),
    next_position bigint   NOT NULL
);
INSERT INTO arc4j_counter (id, next_position) VALUES (1, 1);

CREATE TABLE arc4j_record (
    position  bigint   PRIMARY KEY,
    type      smallint NOT NULL,
    version   integer  NOT NULL,
    at_second bigint   NOT NULL,
    at_nano   integer  NOT NULL,
    subject   text     NOT NULL,
    payload   bytea    NOT NULL,
    account   text,
    category  text,
    event_id  text
);
CREATE INDEX arc4j_record_type_subject ON arc4j_record (type, subject, position);
CREATE INDEX arc4j_record_event_at ON arc4j_record (at_second, at_nano) WHERE type = 1;
CREATE INDEX arc4j_record_event_account ON arc4j_record (account, position) WHERE type = 1;
CREATE INDEX arc4j_record_event_id ON arc4j_record (event_id) WHERE type = 1;

CREATE TABLE arc4j_idempotency (
    key            text   PRIMARY KEY,
    key_position   bigint,
    first_position bigint
);

CREATE TABLE arc4j_case (
    case_id       text    PRIMARY KEY,
    state         text,
    police        boolean NOT NULL,
    last_position bigint  NOT NULL,
    last_second   bigint  NOT NULL,
    last_nano     integer NOT NULL
);
CREATE INDEX arc4j_case_state ON arc4j_case (state, last_position);

CREATE TABLE arc4j_case_event (
    case_id  text   NOT NULL,
    event_id text   NOT NULL,
    ord      bigint NOT NULL,
    PRIMARY KEY (case_id, event_id)
);
CREATE INDEX arc4j_case_event_event ON arc4j_case_event (event_id);
