-- The host's PostgreSQL role, with only the rights it needs. Run once after the first deployment, as the
-- server's Entra administrator (postgresAdminName in main.bicep), from a machine inside the VNet:
--
--   export PGPASSWORD=$(az account get-access-token --resource-type oss-rdbms --query accessToken -o tsv)
--   psql "host=<postgresServer output> dbname=postgres user=<postgresAdminName> sslmode=verify-full sslrootcert=system" \
--        -v app_role=<postgresAppRole output> -v on_azure=1 -f infra/azure/postgres-app-role.sql
--
-- app_role is the host's user-assigned managed identity (its name; main.bicep outputs it). on_azure=1 makes
-- Azure create it as an Entra principal (login by token only: it has no password). Without on_azure the
-- role must already exist (tests create it with a password).
--
-- Why the host owns its schema rather than a separate migration role: the host applies its EF Core migrations
-- at start-up (docs/OPERATIONS.md "Upgrade and migrations"), so it needs DDL on its own tables. It gets
-- exactly that: owner of the schema netopsbot in the database netopsbot, and nothing else: no superuser,
-- no CREATEDB/CREATEROLE/REPLICATION/BYPASSRLS, no azure_pg_admin, no other database, no public schema,
-- no temporary tables. Splitting migrations off to a separate role would need a migration job outside the
-- host, a change of how upgrades run; owning one schema already keeps the host away from everything else.

\set ON_ERROR_STOP on

\if :{?on_azure}
SELECT * FROM pgaadauth_create_principal(:'app_role', false, false);
\endif

ALTER ROLE :"app_role" NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT;
ALTER ROLE :"app_role" CONNECTION LIMIT 100;

\connect netopsbot

-- Only the host (and the administrator) connects to the database; nobody else creates anything in it.
REVOKE ALL ON DATABASE netopsbot FROM PUBLIC;
GRANT CONNECT ON DATABASE netopsbot TO :"app_role";
REVOKE ALL ON SCHEMA public FROM PUBLIC;

CREATE SCHEMA IF NOT EXISTS netopsbot AUTHORIZATION :"app_role";
ALTER SCHEMA netopsbot OWNER TO :"app_role";

-- Unqualified names (the EF Core model has no schema) land in the host's own schema.
ALTER ROLE :"app_role" IN DATABASE netopsbot SET search_path = netopsbot;
