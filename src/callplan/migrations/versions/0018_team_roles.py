"""team roles: each recruiter may be a database login, the server enforces the desk's
rules, and what changes a book or erases a person is logged

- ``recruiter.role``: the PostgreSQL login role a recruiter works as (``callplan team
  add``); NULL on SQLite and for a recruiter with no login of their own.
- ``team_event``: who reassigned a DM, marked one do-not-call (or lifted it) or erased
  one, and when. The DM by id only: an erased person's name must not stay here.
- On PostgreSQL only, functions and triggers: ``callplan_me()`` (the recruiter the
  connection's role is), ``callplan_is_lead()``, the rules a recruiter who is not a lead
  can't break (a colleague's DM: no reassigning, no do-not-call, no change to their
  details; a colleague's call: no change but its conversation number, which a call
  logged before it moves), and the audit. For the database owner, and on a store whose
  recruiters have no roles yet, they change nothing: ``callplan team init`` adds the
  group roles, the grants and the row-level security policies that put them to work.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

# Errors the rules raise: SQLSTATE CPR01, the message a whole sentence for the user.
FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION callplan_me() RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT name FROM recruiter WHERE role = current_user::text
$$;

CREATE OR REPLACE FUNCTION callplan_is_lead() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'callplan_lead')
       AND pg_has_role(current_user, 'callplan_lead', 'MEMBER')
$$;

CREATE OR REPLACE FUNCTION callplan_dm_rules() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    me text := callplan_me();
    -- What logging a call on anyone's DM changes: the DM's place in the cycle.
    diary text[] := ARRAY['next_call_on', 'next_call_at', 'due_reason', 'due_purpose',
        'last_conversation_on', 'conversation_count', 'attempts_in_row', 'last_outcome'];
BEGIN
    IF me IS NULL OR callplan_is_lead() THEN  -- the database owner, or a team lead
        RETURN NEW;
    END IF;
    IF OLD.owner IS NOT NULL AND OLD.owner <> me THEN
        IF NEW.owner IS DISTINCT FROM OLD.owner THEN
            RAISE EXCEPTION USING ERRCODE = 'CPR01', MESSAGE = format(
                '%s owns %s: ask %s or a team lead to reassign them.',
                OLD.owner, OLD.name, OLD.owner);
        END IF;
        IF NEW.status IS DISTINCT FROM OLD.status THEN
            RAISE EXCEPTION USING ERRCODE = 'CPR01', MESSAGE = format(
                '%s owns %s: only %s or a team lead may mark them %s.',
                OLD.owner, OLD.name, OLD.owner,
                CASE NEW.status WHEN 'dnc' THEN 'do-not-call' ELSE NEW.status END);
        END IF;
        IF (to_jsonb(NEW) - diary) IS DISTINCT FROM (to_jsonb(OLD) - diary) THEN
            RAISE EXCEPTION USING ERRCODE = 'CPR01', MESSAGE = format(
                '%s owns %s: only %s or a team lead may change their details.',
                OLD.owner, OLD.name, OLD.owner);
        END IF;
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION callplan_call_rules() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    me text := callplan_me();
BEGIN
    IF me IS NULL OR callplan_is_lead() THEN
        RETURN NEW;
    END IF;
    IF NEW.recruiter IS DISTINCT FROM OLD.recruiter
       OR (OLD.recruiter IS DISTINCT FROM me
           AND (to_jsonb(NEW) - 'conversation_number')
               IS DISTINCT FROM (to_jsonb(OLD) - 'conversation_number')) THEN
        RAISE EXCEPTION USING ERRCODE = 'CPR01', MESSAGE = format(
            'Call #%s is %s''s: only %s or a team lead may change it.',
            OLD.id, coalesce(OLD.recruiter, 'nobody'), coalesce(OLD.recruiter, 'its recruiter'));
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION callplan_dm_audit() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    me text := callplan_me();
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO team_event (at, actor, role, action, dm_id, detail)
        VALUES (now() AT TIME ZONE 'UTC', me, current_user, 'erase', OLD.id, NULL);
        RETURN OLD;
    END IF;
    -- A DM taken from someone, or given to someone by a colleague; not a prospect
    -- becoming the caller's by a first conversation.
    IF NEW.owner IS DISTINCT FROM OLD.owner
       AND (OLD.owner IS NOT NULL OR (me IS NOT NULL AND NEW.owner IS DISTINCT FROM me)) THEN
        INSERT INTO team_event (at, actor, role, action, dm_id, detail)
        VALUES (now() AT TIME ZONE 'UTC', me, current_user, 'reassign', NEW.id,
                coalesce(OLD.owner, 'the pool') || ' -> ' || coalesce(NEW.owner, 'the pool'));
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status AND 'dnc' IN (NEW.status, OLD.status) THEN
        INSERT INTO team_event (at, actor, role, action, dm_id, detail)
        VALUES (now() AT TIME ZONE 'UTC', me, current_user,
                CASE WHEN NEW.status = 'dnc' THEN 'dnc' ELSE 'dnc-lifted' END, NEW.id, NULL);
    END IF;
    RETURN NEW;
END
$$;

"""

TRIGGERS = """
CREATE TRIGGER callplan_dm_rules BEFORE UPDATE ON decision_maker
    FOR EACH ROW EXECUTE FUNCTION callplan_dm_rules();
CREATE TRIGGER callplan_call_rules BEFORE UPDATE ON call
    FOR EACH ROW EXECUTE FUNCTION callplan_call_rules();
CREATE TRIGGER callplan_dm_audit AFTER UPDATE OF owner, status OR DELETE ON decision_maker
    FOR EACH ROW EXECUTE FUNCTION callplan_dm_audit();
"""

DROP = """
DROP TRIGGER IF EXISTS callplan_dm_audit ON decision_maker;
DROP TRIGGER IF EXISTS callplan_call_rules ON call;
DROP TRIGGER IF EXISTS callplan_dm_rules ON decision_maker;
DROP FUNCTION IF EXISTS callplan_dm_audit();
DROP FUNCTION IF EXISTS callplan_call_rules();
DROP FUNCTION IF EXISTS callplan_dm_rules();
-- With the policies of `team init` that use them: row-level security stays on with no
-- policy left, so a recruiter's role can do nothing until the owner upgrades again.
DROP FUNCTION IF EXISTS callplan_is_lead() CASCADE;
DROP FUNCTION IF EXISTS callplan_me() CASCADE;
"""


def upgrade() -> None:
    with op.batch_alter_table("recruiter") as batch:
        batch.add_column(sa.Column("role", sa.String(length=63), nullable=True))
        batch.create_unique_constraint("uq_recruiter_role", ["role"])
    op.create_table(
        "team_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(), nullable=False),  # naive UTC, as every time
        sa.Column("actor", sa.String(length=60), nullable=True),
        sa.Column("role", sa.String(length=63), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("dm_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.String(length=200), nullable=True),
    )
    op.create_index("ix_team_event_at", "team_event", ["at"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(FUNCTIONS)
        op.execute(TRIGGERS)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(DROP)
    op.drop_index("ix_team_event_at", table_name="team_event")
    op.drop_table("team_event")
    with op.batch_alter_table("recruiter") as batch:
        batch.drop_constraint("uq_recruiter_role", type_="unique")
        batch.drop_column("role")
