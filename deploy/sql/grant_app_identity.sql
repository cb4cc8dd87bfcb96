-- T-SQL the post-provision hook runs as the server's Entra admin, in the app's database.

-- name: grant_app_identity
-- The Function App's managed identity becomes a database user with the roles that README's "Running
-- on Azure SQL with a managed identity" lists: read and write, no DDL. The app never changes the
-- schema (migrations run out of band, with the deployer's login), so it gets no db_ddladmin.
-- Idempotent: a second run changes nothing. CREATE USER takes no parameters, so the name is
-- quoted with QUOTENAME into dynamic SQL.
DECLARE @name sysname = :app_identity;
DECLARE @quoted nvarchar(300) = QUOTENAME(@name);
IF DATABASE_PRINCIPAL_ID(@name) IS NULL
    EXEC (N'CREATE USER ' + @quoted + N' FROM EXTERNAL PROVIDER');
IF ISNULL(IS_ROLEMEMBER(N'db_datareader', @name), 0) = 0
    EXEC (N'ALTER ROLE db_datareader ADD MEMBER ' + @quoted);
IF ISNULL(IS_ROLEMEMBER(N'db_datawriter', @name), 0) = 0
    EXEC (N'ALTER ROLE db_datawriter ADD MEMBER ' + @quoted);
