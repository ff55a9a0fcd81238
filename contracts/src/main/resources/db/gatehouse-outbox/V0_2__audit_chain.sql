-- The owner's audit chain (DESIGN.md §6): the head (last sequence number and hash) is locked and
-- advanced in the transaction of every change, so entries are numbered without gaps in commit order.
-- Shared migration, numbered below the owners' own: owners migrate with flyway out-of-order on.
create table audit_chain (
    id    smallint    primary key,
    chain varchar(32) not null,
    seq   bigint      not null,
    hash  varchar(64) not null
);
-- the chain's id: an owner installed afresh on the same topic starts a chain of its own
insert into audit_chain (id, chain, seq, hash)
values (1, substr(md5(random()::text || clock_timestamp()::text), 1, 16), 0, repeat('0', 64));

-- Signed checkpoints of the chain, kept here rather than in Kafka: a log cut short before one, or
-- rewritten under one, is detected.
create table audit_checkpoint (
    seq       bigint      primary key,
    hash      varchar(64) not null,
    signed_at timestamptz not null,
    signature text        not null
);
