-- orderflow: Snowflake objects for the lake sink (warehouse.dialect=snowflake).
-- Run as ACCOUNTADMIN (the storage integration) and as the schema owner (the rest). Replace the <...> values.
-- Names here are unquoted, so Snowflake upper-cases them; the connector resolves its configured names the same way.

-- 1. A storage integration: Snowflake reads the bucket with an IAM role you trust it to assume.
CREATE STORAGE INTEGRATION IF NOT EXISTS orderflow_lake
  TYPE = EXTERNAL_STAGE
  STORAGE_PROVIDER = 'S3'
  ENABLED = TRUE
  STORAGE_AWS_ROLE_ARN = 'arn:aws:iam::<aws_account_id>:role/<snowflake_reader_role>'
  STORAGE_ALLOWED_LOCATIONS = ('s3://<bucket>/<prefix>/');
-- DESC INTEGRATION orderflow_lake;  -- gives STORAGE_AWS_IAM_USER_ARN and STORAGE_AWS_EXTERNAL_ID for the role's trust policy

-- 2. The external stage over the sink's store.url. The connector's snowflake.stage.prefix is the key prefix this URL
--    points at: with store.url=s3://<bucket>/<prefix>, set snowflake.stage.prefix=<prefix>/ .
CREATE STAGE IF NOT EXISTS bronze_db.orders.lake_stage
  URL = 's3://<bucket>/<prefix>/'
  STORAGE_INTEGRATION = orderflow_lake
  FILE_FORMAT = (TYPE = PARQUET USE_LOGICAL_TYPE = TRUE);

-- 3. The table. Optional: with warehouse.auto.create=true (the default) the connector creates it from the files'
--    schema; this is the table it creates for the order source's events.
CREATE TABLE IF NOT EXISTS bronze_db.orders.raw (
  order_id    VARCHAR,
  customer_id VARCHAR,
  amount      NUMBER(18, 2),
  currency    VARCHAR,
  status      VARCHAR,
  event_time  TIMESTAMP_TZ
);

-- 4a. snowflake.load.mode=copy (the default): the connector runs, per committed file,
--     COPY INTO bronze_db.orders.raw FROM @bronze_db.orders.lake_stage FILES = ('<topic>/<path>/<file>.parquet')
--       FILE_FORMAT = (TYPE = PARQUET USE_LOGICAL_TYPE = TRUE) MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE
--     Snowflake's load metadata (kept 64 days per table) skips a file already loaded, so the connector re-issuing
--     COPY after a crash loads nothing twice. Files are never rewritten once committed, so their checksums match.

-- 4b. snowflake.load.mode=snowpipe: an auto-ingest pipe loads every new file under the stage; the connector only
--     checks at start-up that the stage exists and that SYSTEM$PIPE_STATUS reports executionState RUNNING.
--     Point the bucket's s3:ObjectCreated:* notifications for <prefix>/ at the pipe's notification_channel
--     (SHOW PIPES), and exclude the commit markers: they are JSON under <prefix>/_orderflow/.
CREATE PIPE IF NOT EXISTS bronze_db.orders.orders_pipe
  AUTO_INGEST = TRUE
  AS COPY INTO bronze_db.orders.raw
     FROM @bronze_db.orders.lake_stage
     PATTERN = '.*[.]parquet'
     FILE_FORMAT = (TYPE = PARQUET USE_LOGICAL_TYPE = TRUE)
     MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE;

-- 5. The connector's user, with key-pair authentication, and the rights it needs.
CREATE ROLE IF NOT EXISTS orderflow_loader;
GRANT USAGE ON WAREHOUSE <load_wh> TO ROLE orderflow_loader;
GRANT USAGE ON DATABASE bronze_db TO ROLE orderflow_loader;
GRANT USAGE, CREATE TABLE ON SCHEMA bronze_db.orders TO ROLE orderflow_loader;
GRANT USAGE ON STAGE bronze_db.orders.lake_stage TO ROLE orderflow_loader;
GRANT SELECT, INSERT ON TABLE bronze_db.orders.raw TO ROLE orderflow_loader;
-- snowpipe mode: GRANT MONITOR ON PIPE bronze_db.orders.orders_pipe TO ROLE orderflow_loader;
-- auto.evolve adds columns, which needs ownership of the table (or create it with this role).

-- openssl genrsa 2048 | openssl pkcs8 -topk8 -nocrypt -out orderflow_key.p8   (or -v2 aes-256-cbc for an encrypted file)
-- openssl rsa -in orderflow_key.p8 -pubout   (paste the body below)
CREATE USER IF NOT EXISTS orderflow_loader
  TYPE = SERVICE
  DEFAULT_ROLE = orderflow_loader
  DEFAULT_WAREHOUSE = <load_wh>
  RSA_PUBLIC_KEY = '<public key body>';
GRANT ROLE orderflow_loader TO USER orderflow_loader;
