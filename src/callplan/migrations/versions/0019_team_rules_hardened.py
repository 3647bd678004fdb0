"""team rules hardened: nothing a recruiter's own session does changes who the rules
think they are, and candidates are people too

0018's functions named their tables without a schema, so a session's temporary table
(``CREATE TEMP TABLE recruiter``, searched before every schema) could make
``callplan_me()`` say a recruiter was a colleague, and a temporary ``team_event`` could
take the team log's rows. Each function now runs with ``pg_catalog``, the store's
schema and ``pg_temp`` last as its search path.

0018's rules let through a connection that is no recruiter, to spare the database's
owner: a recruiter who ran ``SET ROLE callplan_recruiter`` was such a connection. Now the
rules spare only the owner (or a superuser), a team lead, and a store whose recruiters
have no logins yet; anyone else the store doesn't know is refused
(``callplan_bound_me()``).

And a candidate is someone's, as a DM is: on a colleague's candidate a recruiter who is
not a lead changes only their diary and pipeline (the calls and submissions of the
shared desk move those), never who looks after them or their details; erasing one is
logged. (Row-level security, from ``callplan team init``, keeps the erasure itself to
leads.)

PostgreSQL only: on SQLite this revision changes nothing.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04
"""

from __future__ import annotations

import importlib

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

FUNCTIONS = r"""
-- A lead of this store: the callplan_lead role is the server's (another database's
-- lead holds it too), recruiter.lead says who leads here.
CREATE OR REPLACE FUNCTION callplan_is_lead() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM recruiter WHERE role = current_user::text AND lead)
       AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'callplan_lead')
       AND pg_has_role(current_user, 'callplan_lead', 'MEMBER')
$$;

CREATE OR REPLACE FUNCTION callplan_is_admin() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false)
        OR pg_has_role(current_user,
                       (SELECT datdba FROM pg_database WHERE datname = current_database()),
                       'MEMBER')
$$;

-- The recruiter the rules bind, or NULL for a connection they spare (the database's
-- owner, a superuser, a team lead; anyone while no recruiter has a login).
CREATE OR REPLACE FUNCTION callplan_bound_me() RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    me text;
BEGIN
    IF callplan_is_admin() OR callplan_is_lead()
       OR NOT EXISTS (SELECT 1 FROM recruiter WHERE role IS NOT NULL) THEN
        RETURN NULL;
    END IF;
    me := callplan_me();
    IF me IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'CPR01', MESSAGE = format(
            'The login %s is no recruiter of this team store: ask its owner to add you '
            '(callplan team add).', current_user);
    END IF;
    RETURN me;
END
$$;

CREATE OR REPLACE FUNCTION callplan_dm_rules() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    me text := callplan_bound_me();
    -- What logging a call on anyone's DM changes: the DM's place in the cycle.
    diary text[] := ARRAY['next_call_on', 'next_call_at', 'due_reason', 'due_purpose',
        'last_conversation_on', 'conversation_count', 'attempts_in_row', 'last_outcome',
        'needs_number'];
BEGIN
    IF me IS NULL OR OLD.owner IS NULL OR OLD.owner = me THEN
        RETURN NEW;
    END IF;
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
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION callplan_call_rules() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    me text := callplan_bound_me();
BEGIN
    IF me IS NULL THEN
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

CREATE OR REPLACE FUNCTION callplan_candidate_rules() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    me text := callplan_bound_me();
    -- What the desk's calls and submissions change on anyone's candidate.
    diary text[] := ARRAY['next_call_on', 'next_call_at', 'due_reason',
        'last_conversation_on', 'conversation_count', 'job_search', 'status', 'closed_on'];
BEGIN
    IF me IS NULL OR OLD.owner IS NULL OR OLD.owner = me THEN
        RETURN NEW;
    END IF;
    IF NEW.owner IS DISTINCT FROM OLD.owner THEN
        RAISE EXCEPTION USING ERRCODE = 'CPR01', MESSAGE = format(
            '%s looks after %s: ask %s or a team lead to hand them over.',
            OLD.owner, OLD.name, OLD.owner);
    END IF;
    IF (to_jsonb(NEW) - diary) IS DISTINCT FROM (to_jsonb(OLD) - diary) THEN
        RAISE EXCEPTION USING ERRCODE = 'CPR01', MESSAGE = format(
            '%s looks after %s: only %s or a team lead may change their details.',
            OLD.owner, OLD.name, OLD.owner);
    END IF;
    RETURN NEW;
END
$$;

-- The team log's writers run as the functions' owner (SECURITY DEFINER): no recruiter
-- may insert into team_event, so none can forge, backdate or crowd out an entry. Who
-- did it is the login of the session (session_user: SET ROLE doesn't change it).
CREATE OR REPLACE FUNCTION callplan_log(action text, dm_id integer, detail text)
RETURNS void LANGUAGE sql SECURITY DEFINER AS $$
    INSERT INTO team_event (at, actor, role, action, dm_id, detail)
    VALUES (now() AT TIME ZONE 'UTC',
            (SELECT name FROM recruiter WHERE role = session_user::text),
            session_user, action, dm_id, detail)
$$;
REVOKE ALL ON FUNCTION callplan_log(text, integer, text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION callplan_dm_audit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    me text := (SELECT name FROM recruiter WHERE role = session_user::text);
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM callplan_log('erase', OLD.id, NULL);
        RETURN OLD;
    END IF;
    -- A DM taken from someone, given to someone, or taken from the pool other than by
    -- the first conversation with them (which makes the caller the owner).
    IF NEW.owner IS DISTINCT FROM OLD.owner
       AND NOT (OLD.owner IS NULL AND NEW.owner IS NOT DISTINCT FROM me
                AND NEW.conversation_count > OLD.conversation_count) THEN
        PERFORM callplan_log('reassign', NEW.id,
            coalesce(OLD.owner, 'the pool') || ' -> ' || coalesce(NEW.owner, 'the pool'));
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status AND 'dnc' IN (NEW.status, OLD.status) THEN
        PERFORM callplan_log(CASE WHEN NEW.status = 'dnc' THEN 'dnc' ELSE 'dnc-lifted' END,
                             NEW.id, NULL);
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION callplan_candidate_audit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM callplan_log('erase', NULL, 'candidate #' || OLD.id);
        RETURN OLD;
    END IF;
    IF NEW.owner IS DISTINCT FROM OLD.owner THEN
        PERFORM callplan_log('reassign', NULL, 'candidate #' || NEW.id || ': '
            || coalesce(OLD.owner, 'nobody') || ' -> ' || coalesce(NEW.owner, 'nobody'));
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER callplan_candidate_rules BEFORE UPDATE ON candidate
    FOR EACH ROW EXECUTE FUNCTION callplan_candidate_rules();
CREATE TRIGGER callplan_candidate_audit AFTER UPDATE OF owner OR DELETE ON candidate
    FOR EACH ROW EXECUTE FUNCTION callplan_candidate_audit();
"""

# Every function of the team's rules, each run with a search path of its own: pg_catalog
# first (no one's operator or table shadows the catalog's), then the store's schema,
# and a session's temporary tables last.
PIN = """
DO $$
DECLARE
    f text;
BEGIN
    FOREACH f IN ARRAY ARRAY['callplan_me()', 'callplan_is_lead()', 'callplan_is_admin()',
        'callplan_bound_me()', 'callplan_dm_rules()', 'callplan_call_rules()',
        'callplan_dm_audit()', 'callplan_candidate_rules()', 'callplan_candidate_audit()',
        'callplan_log(text, integer, text)'] LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, %I, pg_temp',
                       f, current_schema());
    END LOOP;
END
$$
"""

DROP = """
DROP TRIGGER IF EXISTS callplan_candidate_audit ON candidate;
DROP TRIGGER IF EXISTS callplan_candidate_rules ON candidate;
DROP FUNCTION IF EXISTS callplan_candidate_audit();
DROP FUNCTION IF EXISTS callplan_candidate_rules();
"""

# Who leads, as the server said before this revision: the members of callplan_lead.
LEADS = """
DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'callplan_lead') THEN
        UPDATE recruiter r SET lead = true FROM pg_roles p
        WHERE p.rolname = r.role AND pg_has_role(p.oid, 'callplan_lead', 'MEMBER');
    END IF;
END $$
"""


def upgrade() -> None:
    with op.batch_alter_table("recruiter") as batch:
        batch.add_column(sa.Column("lead", sa.Boolean(), nullable=False, server_default=sa.false()))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(LEADS)
        op.execute(FUNCTIONS)
        op.execute(PIN)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(DROP)
        # 0018's functions as they were, with no search path of their own (CREATE OR
        # REPLACE keeps the triggers and policies that use them), then what only this
        # revision had.
        before = importlib.import_module("callplan.migrations.versions.0018_team_roles")
        op.execute(before.FUNCTIONS)
        op.execute(
            "DROP FUNCTION IF EXISTS callplan_bound_me(); DROP FUNCTION IF EXISTS"
            " callplan_is_admin(); DROP FUNCTION IF EXISTS callplan_log(text, integer, text)"
        )
    with op.batch_alter_table("recruiter") as batch:
        batch.drop_column("lead")
